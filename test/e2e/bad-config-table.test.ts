import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli';

const car = { models: ['dentfarm-sedan'] };

/** [what is wrong, config (object, or raw file text), the JSON path (or place) the error must name, file name]. */
const CASES: [string, unknown, string, string?][] = [
  ['models is not a list', { models: 'dentfarm-sedan' }, '/models'],
  ['no models', { models: [] }, '/models'],
  ['an unknown model id', { models: ['no-such-car'] }, '/models/0'],
  ['an unknown top-level key', { ...car, colour: 'red' }, '/colour'],
  ['a misspelt nested key', { ...car, image: { width: 64, hieght: 48 } }, '/image/hieght'],
  ['an empty paint axis', { ...car, paints: [] }, '/paints'],
  ['an invalid colour', { ...car, paints: ['#12345'] }, '/paints/0'],
  ['a negative damage count', { ...car, damage: { dent: { count: -1 } } }, '/damage/dent/count'],
  ['an absurd damage count', { ...car, damage: { dent: { count: 1000 } } }, '/damage/dent/count'],
  ['a reversed range', { ...car, damage: { dent: { radiusCm: [14, 4] } } }, '/damage/dent/radiusCm'],
  ['an unknown damage class', { ...car, damage: { rust: { count: 1 } } }, '/damage/rust'],
  ['no samples', { ...car, samples: 0 }, '/samples'],
  ['samples as text', { ...car, samples: 'many' }, '/samples'],
  ['a grid too large to be meant', { ...car, samples: 100000, paints: ['red', 'white', 'black', 'blue', 'grey', 'silver', 'green', 'beige', 'brown', 'yellow', 'orange', '#123456', '#654321', '#abcdef', '#fedcba', '#111111', '#222222', '#333333', '#444444', '#555555', '#666666', '#777777', '#888888', '#999999', '#aaaaaa', '#bbbbbb', '#cccccc', '#dddddd', '#eeeeee', '#010101', '#020202', '#030303', '#040404', '#050505', '#060606', '#070707', '#080808', '#090909', '#0a0a0a', '#0b0b0b', '#0c0c0c', '#0d0d0d', '#0e0e0e', '#0f0f0f', '#101010', '#121212', '#131313', '#141414', '#151515', '#161616', '#171717', '#181818', '#191919', '#1a1a1a', '#1b1b1b', '#1c1c1c', '#1d1d1d', '#1e1e1e', '#1f1f1f', '#202020', '#212121', '#232323', '#242424', '#252525', '#262626', '#272727', '#282828', '#292929', '#2a2a2a', '#2b2b2b', '#2c2c2c', '#2d2d2d', '#2e2e2e', '#2f2f2f', '#303030', '#313131', '#323232', '#343434', '#353535', '#363636', '#373737', '#383838', '#393939', '#3a3a3a', '#3b3b3b', '#3c3c3c', '#3d3d3d', '#3e3e3e', '#3f3f3f', '#404040', '#414141', '#424242', '#434343', '#454545', '#464646', '#474747', '#484848', '#494949', '#4a4a4a', '#4b4b4b', '#4c4c4c', '#4d4d4d', '#4e4e4e', '#4f4f4f', '#505050', '#515151'] }, '/samples'],
  ['a negative image width', { ...car, image: { width: -5 } }, '/image/width'],
  ['an unknown image format', { ...car, image: { format: 'bmp' } }, '/image/format'],
  ['supersampling beyond 4', { ...car, image: { supersample: 8 } }, '/image/supersample'],
  ['a missing environment map', { ...car, lighting: [{ environment: 'no/such/map.hdr' }] }, '/lighting/0/environment'],
  ['an environment that is not .env or .hdr', { ...car, lighting: [{ environment: 'scene.json' }] }, '/lighting/0/environment'],
  ['a missing backplate', { ...car, backgrounds: [{ type: 'image', file: 'no-such.jpg' }] }, '/backgrounds/0/file'],
  ['a background paired with an unknown lighting', { ...car, backgrounds: [{ type: 'environment', lighting: ['dusk'] }] }, '/backgrounds/0/lighting/0'],
  ['an azimuth out of range', { ...car, views: [{ azimuthDeg: 1000 }] }, '/views/0/azimuthDeg'],
  ['an unknown view frame', { ...car, views: [{ frame: 'door' }] }, '/views/0/frame'],
  ['paints and a palette together', { ...car, paints: ['red'], palette: [{ color: 'red', weight: 1 }] }, '/palette'],
  ['a palette weight of 0', { ...car, palette: [{ color: 'red', weight: 0 }] }, '/palette/0/weight'],
  ['a visible-change share above 1', { ...car, annotations: { minVisibleChange: 2 } }, '/annotations/minVisibleChange'],
  ['two paints with one name', { ...car, paints: [{ name: 'a', color: 'red' }, { name: 'a', color: 'blue' }] }, '/paints'],
  ['a backplate outside the config folder, the project and the asset roots', { ...car, backgrounds: [{ type: 'image', file: '/etc/hostname' }] }, '/backgrounds/0/file'],
  ['a relative path that climbs out of every root', { ...car, backgrounds: [{ type: 'environment' }, { type: 'image', file: '../../../../../../../../../etc/hostname' }] }, '/backgrounds/1/file'],
  ['a JSON syntax error', '{"models": ["dentfarm-sedan"],, }', 'line 1'],
  ['a YAML alias bomb', 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\nmodels: [dentfarm-sedan]\n', 'alias', 'scene.yaml'],
  ['bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0x6d, 0xff, 0xfe, 0x22, 0x7d]), 'UTF-8'],
];

describe('bad configs', () => {
  it.each(CASES)('%s: exit 2, one line naming the file, the place, what was expected, what was found and the fix; nothing written', async (_what, config, place, name = 'scene.json') => {
    const dir = tempDir();
    const file = join(dir, name);
    writeFileSync(file, typeof config === 'string' || Buffer.isBuffer(config) ? config : JSON.stringify(config));
    const out = join(dir, 'out');
    const run = await runCli(['render', file, '--out', out]);
    expect(run.code, run.stderr).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toContain(place);
    expect(lines[0]).toMatch(/expected|not/);
    expect(lines[0]).toContain('fix:');
    expect(existsSync(out)).toBe(false);
  });
});
