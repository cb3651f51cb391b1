/**
 * COCO instance annotation primitives: ID-pass decoding, binary masks, RLE
 * and polygon outlines.
 *
 * @module
 */

export * from './id-buffer';
export * from './mask';
export * from './polygon';
export * from './rle';
