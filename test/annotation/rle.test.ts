import { describe, it, expect } from 'vitest';
import {
  compressRle,
  decodeRle,
  decompressRle,
  encodeRle,
  encodeRleString,
  rleArea,
  rleBbox,
} from '../../src/annotation/rle';
import { createMask } from '../../src/annotation/mask';
import { maskFromRows, rowsOf } from './helpers';

// Character table used below: char = 48 + group, | 0x20 when more follows.
// '0' = 48 (group 0), '<' = 60 (12), 'L' = 76 (28), 'O' = 79 (31),
// 'P' = 80 (0 | 32), 'T' = 84 (4 | 32), '\\' = 92 (12 | 32),
// '`' = 96 (16 | 32), 'b' = 98 (18 | 32), 'i' = 105 (25 | 32),
// 'l' = 108 (28 | 32), 'n' = 110 (30 | 32).

describe('encodeRle', () => {
  it('runs down columns and reports size as [height, width]', () => {
    // 3 wide, 2 tall:  . # #   Column-major: col 0 = (0,1), col 1 = (1,1),
    //                  # # .   col 2 = (1,0) -> 0 1 1 1 1 0 -> runs 1,4,1.
    const m = maskFromRows(['.##', '##.']);
    expect(encodeRle(m)).toEqual({ size: [2, 3], counts: [1, 4, 1] });
  });

  it('encodes an all-background mask as one run of h * w zeros', () => {
    // 4 x 3 = 12 background pixels.
    expect(encodeRle(createMask(4, 3))).toEqual({
      size: [3, 4],
      counts: [12],
    });
  });

  it('starts with a zero-length run when the first pixel is set', () => {
    // Column-major 1 0 0 0: no leading zeros, one 1, three 0s.
    expect(encodeRle(maskFromRows(['#.', '..'])).counts).toEqual([0, 1, 3]);
    // All four set: [0, 4].
    expect(encodeRle(maskFromRows(['##', '##'])).counts).toEqual([0, 4]);
  });

  it('ends without a trailing zero run when the last pixel is set', () => {
    // Column-major 0 0 1 1.
    expect(encodeRle(maskFromRows(['.#', '.#'])).counts).toEqual([2, 2]);
  });

  it('treats any non-zero byte as foreground', () => {
    // 1 x 3 column 0, 255, 7 -> 0 1 1 -> runs 1, 2.
    const m = { width: 1, height: 3, data: Uint8Array.of(0, 255, 7) };
    expect(encodeRle(m).counts).toEqual([1, 2]);
  });

  it('encodes a zero-sized mask as a single empty run', () => {
    expect(encodeRle(createMask(0, 0))).toEqual({ size: [0, 0], counts: [0] });
  });
});

describe('compressRle', () => {
  it('writes small counts as one character each', () => {
    // 1, 4, 1 all < 16 (sign bit clear) and i <= 2 so no deltas: '1','4','1'.
    expect(compressRle([1, 4, 1])).toBe('141');
    // 12 -> '<'.
    expect(compressRle([12])).toBe('<');
  });

  it('splits a run of 100 into 5-bit groups, least significant first', () => {
    // 100 = 3 * 32 + 4. Group 4, rest 3 != 0 -> more: 48 + (4|32) = 'T'.
    // Group 3, rest 0, bit 4 clear -> stop: 48 + 3 = '3'. Count 0 -> '0'.
    // All-background 10 x 10 is [100] -> 'T3'; all-foreground is [0, 100].
    expect(encodeRleString(createMask(10, 10)).counts).toBe('T3');
    const ones = { width: 10, height: 10, data: new Uint8Array(100).fill(1) };
    expect(encodeRleString(ones)).toEqual({ size: [10, 10], counts: '0T3' });
  });

  it('spends a second character on 16 because bit 4 reads as a sign', () => {
    // 16: group 16 has bit 4 set and rest 0 != -1 -> more: 48 + 48 = '`';
    // then group 0 -> '0'. 15 fits: 48 + 15 = '?'.
    expect(compressRle([16])).toBe('`0');
    expect(compressRle([15])).toBe('?');
  });

  it('encodes counts from index 3 on as deltas, negative ones included', () => {
    // i=0: 3 -> '3'. i=1: 25 = 0b11001, bit 4 set, rest 0 -> 'i' then '0'.
    // i=2: 2 -> '2'. i=3: 5 - 25 = -20 = -1 * 32 + 12: group 12, rest -1,
    // bit 4 clear so more -> '\\'; then -1 = -1 * 32 + 31: group 31, rest -1,
    // bit 4 set so stop -> 'O'. i=4: 30 - 2 = 28, bit 4 set, rest 0 -> 'l',
    // then '0'.
    expect(compressRle([3, 25, 2, 5, 30])).toBe('3i02\\Ol0');
    // i=3: 1 - 5 = -4 = -1 * 32 + 28: bit 4 set and rest -1 -> stop: 'L'.
    expect(compressRle([1, 5, 2, 1])).toBe('152L');
  });

  it('handles counts far beyond 32 * 32', () => {
    // 1e6 = 31250*32 + 0; 31250 = 976*32 + 18; 976 = 30*32 + 16; 30 < 32.
    // 0 -> 'P' (more), 18 -> 'b', 16 -> '`', 30 has bit 4 set with rest 0
    // -> 'n' (more), final group 0 -> '0'.
    expect(compressRle([1_000_000])).toBe('Pb`n0');
  });

  it('rejects negative or fractional counts', () => {
    expect(() => compressRle([1, -2])).toThrow(RangeError);
    expect(() => compressRle([1.5])).toThrow(RangeError);
  });
});

describe('decompressRle', () => {
  it('inverts each hand-derived string above', () => {
    expect(decompressRle('141')).toEqual([1, 4, 1]);
    expect(decompressRle('0T3')).toEqual([0, 100]);
    expect(decompressRle('`0')).toEqual([16]);
    expect(decompressRle('3i02\\Ol0')).toEqual([3, 25, 2, 5, 30]);
    expect(decompressRle('152L')).toEqual([1, 5, 2, 1]);
    expect(decompressRle('Pb`n0')).toEqual([1_000_000]);
    expect(decompressRle('')).toEqual([]);
  });

  it('rejects a string that stops inside a count', () => {
    // 'T' carries the continuation bit, so another character must follow.
    expect(() => decompressRle('0T')).toThrow(RangeError);
  });

  it('rejects characters outside 0..o', () => {
    // '/' is 47 (< 48); 'p' is 112 = 48 + 64, beyond the 6-bit payload.
    expect(() => decompressRle('1/')).toThrow(RangeError);
    expect(() => decompressRle('p')).toThrow(RangeError);
  });
});

describe('decodeRle', () => {
  it('rebuilds the mask from numeric or string counts', () => {
    const expected = ['.##', '##.'];
    expect(rowsOf(decodeRle({ size: [2, 3], counts: [1, 4, 1] }))).toEqual(
      expected,
    );
    expect(rowsOf(decodeRle({ size: [2, 3], counts: '141' }))).toEqual(
      expected,
    );
  });

  it('rejects counts that do not cover the image exactly', () => {
    // 1 + 2 = 3 pixels for a 2 x 2 image.
    expect(() => decodeRle({ size: [2, 2], counts: [1, 2] })).toThrow(
      RangeError,
    );
    expect(() => decodeRle({ size: [2, 2], counts: [1, 2, 2] })).toThrow(
      RangeError,
    );
  });
});

describe('rleArea and rleBbox', () => {
  it('measure the 3 x 2 example without decoding it', () => {
    // Ones-run of 4 -> area 4; it touches every column and row.
    expect(rleArea({ size: [2, 3], counts: '141' })).toBe(4);
    expect(rleBbox({ size: [2, 3], counts: [1, 4, 1] })).toEqual([0, 0, 3, 2]);
  });

  it('give full height for a run that wraps into the next column', () => {
    // h = 3: ones at column-major 2 (col 0, row 2) and 3 (col 1, row 0).
    // Columns 0..1, rows 0..2 -> [0, 0, 2, 3]; area 2.
    const rle = { size: [3, 3] as [number, number], counts: [2, 2, 5] };
    expect(rleBbox(rle)).toEqual([0, 0, 2, 3]);
    expect(rleArea(rle)).toBe(2);
  });

  it('give the exact rows for a run inside one column', () => {
    // h = 4: ones at 5, 6 -> col 1, rows 1 and 2 -> [1, 1, 1, 2].
    expect(rleBbox({ size: [4, 3], counts: [5, 2, 5] })).toEqual([1, 1, 1, 2]);
  });

  it('combine several runs', () => {
    // h = 4, w = 4: runs 0s 1, 1s 1 (idx 1 = col 0 row 1), 0s 9, 1s 2
    // (idx 11, 12 = col 2 row 3, col 3 row 0), 0s 3. Columns 0..3; the
    // wrapping run forces rows 0..3 -> [0, 0, 4, 4]; area 3.
    const rle = { size: [4, 4] as [number, number], counts: [1, 1, 9, 2, 3] };
    expect(rleBbox(rle)).toEqual([0, 0, 4, 4]);
    expect(rleArea(rle)).toBe(3);
  });

  it('give zero for masks without foreground', () => {
    expect(rleArea({ size: [3, 3], counts: [9] })).toBe(0);
    expect(rleBbox({ size: [3, 3], counts: [9] })).toEqual([0, 0, 0, 0]);
    // A zero-length ones-run sets nothing.
    expect(rleBbox({ size: [3, 3], counts: [3, 0, 6] })).toEqual([0, 0, 0, 0]);
  });
});
