/**
 * Car paint on the model's own body materials: a base coat of the job's
 * colour under a clear coat, with the finish setting metalness and
 * roughness. Models whose paint lives in a texture keep their own colour.
 */
import { Color3, type PBRMaterial } from '@babylonjs/core';
import type { PaintFinish, PaintRequest } from '../protocol';
import type { PaintFinishLook } from './damage-field';

interface FinishLook extends PaintFinishLook {
  metallic: number;
  roughness: number;
  clearCoat: number;
  clearCoatRoughness: number;
}

const FINISHES: Record<PaintFinish, FinishLook> = {
  solid: { metallic: 0.0, roughness: 0.35, clearCoat: 1, clearCoatRoughness: 0.03, flake: 0, pearl: 0 },
  metallic: { metallic: 0.65, roughness: 0.32, clearCoat: 1, clearCoatRoughness: 0.03, flake: 0.07, pearl: 0 },
  pearl: { metallic: 0.4, roughness: 0.25, clearCoat: 1, clearCoatRoughness: 0.02, flake: 0.03, pearl: 0.5 },
  matte: { metallic: 0.2, roughness: 0.75, clearCoat: 0, clearCoatRoughness: 0.5, flake: 0, pearl: 0 },
};

interface OriginalPaint {
  albedo: Color3;
  albedoTexture: PBRMaterial['albedoTexture'];
  metallic: number | null;
  roughness: number | null;
  clearCoat: boolean;
  clearCoatIntensity: number;
  clearCoatRoughness: number;
}

const originals = new WeakMap<PBRMaterial, OriginalPaint>();

export function applyPaint(materials: readonly PBRMaterial[], paint: PaintRequest): void {
  for (const material of materials) {
    const original = rememberOriginal(material);
    if (!paint.linear) {
      restore(material, original);
      continue;
    }
    const look = FINISHES[paint.finish];
    // The job's colour replaces the base colour outright: a base-colour
    // texture would tint it into some other colour than the label says.
    material.albedoColor = new Color3(...paint.linear);
    material.albedoTexture = null;
    material.metallic = look.metallic;
    material.roughness = look.roughness;
    material.clearCoat.isEnabled = look.clearCoat > 0;
    material.clearCoat.intensity = look.clearCoat;
    material.clearCoat.roughness = look.clearCoatRoughness;
    material.metadata = { ...(material.metadata ?? {}), paintFinish: { flake: look.flake, pearl: look.pearl } };
  }
}

function rememberOriginal(material: PBRMaterial): OriginalPaint {
  let original = originals.get(material);
  if (!original) {
    original = {
      albedo: material.albedoColor.clone(),
      albedoTexture: material.albedoTexture,
      metallic: material.metallic,
      roughness: material.roughness,
      clearCoat: material.clearCoat.isEnabled,
      clearCoatIntensity: material.clearCoat.intensity,
      clearCoatRoughness: material.clearCoat.roughness,
    };
    originals.set(material, original);
  }
  return original;
}

function restore(material: PBRMaterial, o: OriginalPaint): void {
  material.metadata = { ...(material.metadata ?? {}), paintFinish: null };
  material.albedoColor = o.albedo.clone();
  material.albedoTexture = o.albedoTexture;
  material.metallic = o.metallic;
  material.roughness = o.roughness;
  material.clearCoat.isEnabled = o.clearCoat;
  material.clearCoat.intensity = o.clearCoatIntensity;
  material.clearCoat.roughness = o.clearCoatRoughness;
}
