/**
 * Derived landmarks of a procedural car: where along z each panel starts
 * and ends, plus the side-view lines the body loft samples.
 *
 * Frame: metres, +y up, +z forward, +x the car's left, wheelbase centre at
 * z = 0, ground at y = 0.
 */
import type { ProceduralCarParams } from './car-params';
import { FilletedProfile } from './filleted-profile';

const DEG = Math.PI / 180;

/** Everything the body, wheels and accessories agree on. */
export class CarLayout {
  /** Front bumper tip (largest z). */
  readonly zFront: number;
  /** Rear bumper tip (smallest z). */
  readonly zTail: number;
  readonly frontAxleZ: number;
  readonly rearAxleZ: number;
  /** Wheel arch radius, metres. */
  readonly archRadius: number;
  /** Windscreen base. */
  readonly cowlZ: number;
  /** Windscreen top / roof front edge. */
  readonly roofFrontZ: number;
  /** Roof rear edge / rear window top. */
  readonly roofRearZ: number;
  /** Rear window base; boot lid or tailgate deck behind it. */
  readonly rearWindowBaseZ: number;
  /** Front door leading edge. */
  readonly doorFrontZ: number;
  /** Line between front and rear doors (centre of the B-pillar). */
  readonly doorSplitZ: number;
  /** Rear door trailing edge. */
  readonly doorRearZ: number;
  /** Half the B-pillar width along z. */
  readonly pillarBHalfWidth = 0.035;
  /** Bumper skins start on the sides just beyond the arches. */
  readonly frontBumperZ: number;
  readonly rearBumperZ: number;
  /** Depth along z of the rounded nose and tail caps. */
  readonly frontCapDepth: number;
  readonly rearCapDepth: number;
  /** Superellipse exponents of the caps (higher = boxier): plan view. */
  readonly capExponentPlan = 2.4;
  /** ... and side view, boxier so the bonnet edge and bumper read. */
  readonly capExponentSide = 3.4;
  /** How far the top of the nose / tail face leans in, metres. */
  readonly noseLean = 0.08;
  readonly tailLean = 0.04;
  /** Flat end faces as fractions of the full section width / height. */
  readonly noseFaceX = 0.5;
  readonly noseFaceY = 0.75;
  readonly tailFaceX = 0.55;
  readonly tailFaceY = 0.8;
  /**
   * Heights the nose and tail caps converge to. The nose's sits above the
   * middle of its face so lamps and grille run roughly level; the tail's
   * at about the bumper line, which then runs level across the face.
   */
  readonly frontPoleY: number;
  readonly rearPoleY: number;
  /** Extra height of the bonnet and roof centre over their edges. */
  readonly crown: number;
  /** Centre-line height of bonnet, belt and boot (no cabin). */
  readonly deck: FilletedProfile;
  /** Centre-line height of the top including the cabin. */
  readonly top: FilletedProfile;

  constructor(readonly params: ProceduralCarParams) {
    const p = params;
    validate(p);
    this.zFront = p.wheelbase / 2 + p.frontOverhang;
    this.zTail = this.zFront - p.length;
    this.frontAxleZ = p.wheelbase / 2;
    this.rearAxleZ = -p.wheelbase / 2;
    this.archRadius = p.wheelRadius + p.archClearance;
    this.cowlZ = this.zFront - p.hoodLength;
    this.roofFrontZ =
      this.cowlZ - (p.height - p.cowlHeight) * Math.tan(p.windscreenRake * DEG);
    this.roofRearZ = this.roofFrontZ - p.roofLength;
    this.rearWindowBaseZ =
      this.roofRearZ -
      (p.height - p.deckHeight) * Math.tan(p.rearWindowRake * DEG);
    this.doorFrontZ = this.frontAxleZ - this.archRadius - 0.08;
    this.doorRearZ = this.rearAxleZ + this.archRadius + 0.04;
    this.doorSplitZ =
      this.doorFrontZ - 0.54 * (this.doorFrontZ - this.doorRearZ);
    this.frontBumperZ = this.frontAxleZ + this.archRadius + 0.01;
    this.rearBumperZ = this.rearAxleZ - this.archRadius - 0.01;
    this.frontCapDepth = 0.34;
    this.rearCapDepth = p.bodyStyle === 'sedan' ? 0.22 : 0.2;
    const noseFloor = this.floor(this.zFront);
    const tailFloor = this.floor(this.zTail);
    this.frontPoleY = noseFloor + 0.62 * (p.hoodFrontHeight - noseFloor);
    this.rearPoleY = tailFloor + 0.45 * (p.deckHeight - tailFloor);
    this.crown = 0.03;

    const deckEnd = p.deckHeight - 0.015;
    this.deck = new FilletedProfile([
      { z: this.zTail, y: deckEnd },
      { z: this.rearWindowBaseZ, y: p.deckHeight, fillet: 0.1 },
      { z: this.cowlZ - 0.35, y: p.beltHeight, fillet: 0.15 },
      { z: this.cowlZ, y: p.cowlHeight, fillet: 0.05 },
      { z: this.zFront, y: p.hoodFrontHeight },
    ]);
    const roofL = p.roofLength;
    this.top = new FilletedProfile([
      { z: this.zTail, y: deckEnd },
      { z: this.rearWindowBaseZ, y: p.deckHeight, fillet: 0.04 },
      { z: this.roofRearZ, y: p.height - 0.04, fillet: 0.2 },
      { z: this.roofRearZ + 0.3 * roofL, y: p.height, fillet: 0.15 },
      { z: this.roofFrontZ - 0.3 * roofL, y: p.height, fillet: 0.15 },
      { z: this.roofFrontZ, y: p.height - 0.03, fillet: 0.15 },
      { z: this.cowlZ, y: p.cowlHeight, fillet: 0.04 },
      { z: this.zFront, y: p.hoodFrontHeight },
    ]);
    this.checkDerived();
  }

  /** Centre of the roof, on its flat top (a station is placed there). */
  get roofMidZ(): number {
    return (this.roofFrontZ + this.roofRearZ) / 2;
  }

  /** Body half-width at z before the end caps round it, metres. */
  halfWidth(z: number): number {
    const u = this.overhangFraction(z);
    return (this.params.width / 2) * (1 - 0.035 * u * u);
  }

  /** Underbody height at z: rises in the overhangs for approach angles. */
  floor(z: number): number {
    const u = this.overhangFraction(z);
    const rise = z > 0 ? 0.09 : 0.11;
    return this.params.groundClearance + rise * u * u;
  }

  /**
   * Bottom edge of the body side at z: the floor, or the wheel arch where
   * a semicircle of `archRadius` around the axle lifts it.
   */
  well(z: number): number {
    const f = this.floor(z);
    const r = this.archRadius;
    for (const axle of [this.frontAxleZ, this.rearAxleZ]) {
      const d = z - axle;
      if (Math.abs(d) < r) {
        return Math.max(f, this.params.wheelRadius + Math.sqrt(r * r - d * d));
      }
    }
    return f;
  }

  /**
   * z offset (towards the car's centre) of a point at height y on the
   * nose or tail face: zero at the face's bottom edge, growing linearly
   * upwards, so the bottom edge stays the extreme point and the face is a
   * plane. Cap rims blend it in by their depth fraction.
   */
  capLean(front: boolean, y: number): number {
    const yc = front ? this.frontPoleY : this.rearPoleY;
    const fy = front ? this.noseFaceY : this.tailFaceY;
    const floor = this.floor(front ? this.zFront : this.zTail);
    const top = front ? this.params.hoodFrontHeight : this.params.deckHeight;
    const lo = yc - fy * (yc - floor);
    const hi = yc + fy * (top - yc);
    const u = Math.min(1, Math.max(0, (y - lo) / (hi - lo)));
    return front ? -this.noseLean * u : this.tailLean * u;
  }

  /** Greenhouse height above the belt at z (0 outside the cabin). */
  cabin(z: number): number {
    return Math.max(0, this.top.at(z) - this.deck.at(z));
  }

  /** Arch top height: the side's character line must stay above it. */
  get archTopY(): number {
    return this.params.wheelRadius + this.archRadius;
  }

  /** 0 between the axles, rising to 1 at the bumper tips. */
  private overhangFraction(z: number): number {
    if (z > this.frontAxleZ) {
      return Math.min(1, (z - this.frontAxleZ) / this.params.frontOverhang);
    }
    if (z < this.rearAxleZ) {
      const rearOverhang = this.rearAxleZ - this.zTail;
      return Math.min(1, (this.rearAxleZ - z) / rearOverhang);
    }
    return 0;
  }

  private checkDerived(): void {
    const order: [string, number][] = [
      ['front cap', this.zFront - this.frontCapDepth - 0.05],
      ['windscreen base', this.cowlZ],
      ['roof front', this.roofFrontZ],
      ['roof rear', this.roofRearZ],
      ['rear window base', this.rearWindowBaseZ],
      ['tail cap', this.zTail + this.rearCapDepth + 0.03],
    ];
    for (let i = 1; i < order.length; i++) {
      if (!(order[i][1] < order[i - 1][1])) {
        throw new RangeError(
          `car params: ${order[i][0]} (z=${order[i][1].toFixed(3)}) must ` +
            `lie behind ${order[i - 1][0]} (z=${order[i - 1][1].toFixed(3)})`,
        );
      }
    }
    if (!(this.doorRearZ < this.doorSplitZ - 0.3)) {
      throw new RangeError('car params: wheelbase too short for doors');
    }
    if (this.frontBumperZ > this.zFront - this.frontCapDepth) {
      throw new RangeError('car params: front overhang too short');
    }
    if (this.rearBumperZ < this.zTail + this.rearCapDepth) {
      throw new RangeError('car params: rear overhang too short');
    }
    const plateFits = (y: number, lo: number, hi: number): boolean =>
      y - 0.08 > lo && y + 0.08 < hi;
    if (!plateFits(this.params.frontPlateHeight, this.floor(this.zFront),
      this.params.hoodFrontHeight)) {
      throw new RangeError('car params: front plate outside the nose');
    }
    if (!plateFits(this.params.rearPlateHeight, this.floor(this.zTail),
      this.params.deckHeight)) {
      throw new RangeError('car params: rear plate outside the tail');
    }
  }
}

function validate(p: ProceduralCarParams): void {
  const positive: (keyof ProceduralCarParams)[] = [
    'length', 'width', 'height', 'wheelbase', 'frontOverhang', 'track',
    'wheelRadius', 'tyreWidth', 'rimRadius', 'groundClearance',
    'hoodFrontHeight', 'cowlHeight', 'beltHeight', 'deckHeight',
    'hoodLength', 'roofLength', 'archClearance', 'frontPlateHeight',
    'rearPlateHeight',
  ];
  for (const k of positive) {
    const v = p[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new RangeError(`car params: ${k} must be a positive number`);
    }
  }
  const need = (ok: boolean, msg: string): void => {
    if (!ok) throw new RangeError(`car params: ${msg}`);
  };
  need(['sedan', 'hatchback', 'suv'].includes(p.bodyStyle), 'bodyStyle');
  need(p.track / 2 + p.tyreWidth / 2 <= p.width / 2 - 0.005,
    'tyres must fit inside the body width');
  need(p.rimRadius < p.wheelRadius - 0.04, 'rim must be inside the tyre');
  need(p.groundClearance < p.wheelRadius, 'ground clearance too high');
  need(p.hoodFrontHeight < p.cowlHeight, 'bonnet must rise to the cowl');
  need(p.cowlHeight <= p.beltHeight, 'cowl must not exceed the belt');
  need(p.beltHeight < p.height - 0.2, 'belt too close to the roof');
  need(p.deckHeight < p.height - 0.1, 'deck too close to the roof');
  need(p.beltHeight > 2 * p.wheelRadius + p.archClearance + 0.15,
    'belt must clear the wheel arches');
  for (const k of ['windscreenRake', 'rearWindowRake', 'tumblehome'] as const) {
    need(p[k] >= 0 && p[k] < 80, `${k} must be in [0, 80) degrees`);
  }
  need(Number.isInteger(p.bodyStations) && p.bodyStations >= 40,
    'bodyStations must be an integer >= 40');
  need(Number.isInteger(p.wheelSegments) && p.wheelSegments >= 12,
    'wheelSegments must be an integer >= 12');
}
