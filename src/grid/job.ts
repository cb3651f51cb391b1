/**
 * A job: one image of the grid, fully decided. It is a pure function of the
 * config, its key and the model file, so any worker, shard or retry
 * renders the same pixels.
 */
import type { Augmentation } from '../output/augment';
import type { ModelEntry } from '../car/model-catalog';
import type { BackgroundChoice, PaintChoice } from '../config/scene-config';
import type { CameraRequest, DamageRequest, LightingRequest } from '../protocol';

export interface Job {
  /** Position in the whole grid, from 0; the image id is index + 1. */
  index: number;
  /** Stable name of the grid cell and sample, e.g. "sedan/white/clear/env/front/0". */
  key: string;
  seed: number;
  model: ModelEntry;
  /** Null for models whose paint comes from their own textures. */
  paint: PaintChoice | null;
  lighting: Omit<LightingRequest, 'environmentUrl' | 'environmentHeadingDeg'> & { environment: string };
  background: BackgroundChoice;
  view: string;
  sample: number;
  camera: CameraRequest;
  damage: DamageRequest[];
  /** Blur, noise and encoding quality of this job's image. */
  augmentation: Augmentation;
}
