import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir, writeConfig } from './run-cli';

const le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];

/** A GLB header ("glTF", version 2, total length) and a JSON chunk header for `json`, padded to 4 bytes. */
function glb(json: string, declaredLength?: number): Buffer {
  const body = Buffer.from(json.padEnd(Math.ceil(json.length / 4) * 4, ' '));
  const length = 20 + body.length;
  return Buffer.concat([Buffer.from([0x67, 0x6c, 0x54, 0x46, ...le(2), ...le(declaredLength ?? length), ...le(body.length), 0x4a, 0x53, 0x4f, 0x4e]), body]);
}

describe('broken model files', () => {
  it('fail only their own jobs, each naming the file and the problem; the good model renders; exit 1 with a summary', async () => {
    const models = join(tempDir(), 'cars');
    mkdirSync(models);
    const files: Record<string, (path: string) => void> = {
      // The entry names a file that is not there.
      missing: () => {},
      empty: (path) => writeFileSync(path, ''),
      // The header promises 4000 bytes; the file ends after 40.
      truncated: (path) => writeFileSync(path, glb('{"asset":{"version":"2.0"}}', 4000)),
      corrupt: (path) => writeFileSync(path, Buffer.from('PK\x03\x04 this is a zip, not a model file')),
      // A well-formed glTF 2.0 file with a node and no mesh at all.
      'no-meshes': (path) => writeFileSync(path, glb('{"asset":{"version":"2.0"},"scene":0,"scenes":[{"nodes":[0]}],"nodes":[{"name":"empty"}]}')),
      // 3 GiB without using the disk: a sparse file behind a valid header.
      huge: (path) => {
        writeFileSync(path, glb('{"asset":{"version":"2.0"}}', 3 * 1024 ** 3));
        const fd = openSync(path, 'r+');
        ftruncateSync(fd, 3 * 1024 ** 3);
        closeSync(fd);
      },
    };
    for (const [id, make] of Object.entries(files)) {
      make(join(models, `${id}.glb`));
      writeFileSync(join(models, `${id}.json`), JSON.stringify({ id, make: 'Test', model: id, bodyStyle: 'sedan', file: `${id}.glb` }));
    }
    copyFileSync(join(ROOT, 'car-models/dentfarm-sedan.json'), join(models, 'dentfarm-sedan.json'));
    const config = writeConfig({
      name: 'bad-models',
      modelDirs: [models],
      models: ['dentfarm-sedan', ...Object.keys(files)],
      paints: ['red'],
      samples: 2,
      lighting: [{ environment: 'studio' }],
      image: { width: 64, height: 48, supersample: 1 },
      annotations: { minVisibleChange: 0 },
    });
    const out = tempDir();
    const run = await runCli(['render', config, '--out', out, '--workers', '1']);
    expect(run.code, run.stderr).toBe(1);

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.rendered).toBe(2);
    expect(summary.failed).toHaveLength(2 * Object.keys(files).length);
    const failed = new Map<string, string>(summary.failed.map((f: { key: string; error: string }) => [f.key.split('/')[0], f.error]));
    expect([...failed.keys()].sort()).toEqual(Object.keys(files).sort());
    // A file that does not load is not retried, and the model's second job is not tried at all.
    expect(run.stderr).not.toMatch(/attempt 1\/2 failed/);
    expect(run.stderr.match(/no meshes/g)).toHaveLength(2);
    const problems: Record<string, RegExp> = {
      missing: /does not exist/,
      empty: /is empty/,
      truncated: /truncated: the header declares 4000 bytes, the file has 48/,
      corrupt: /not a GLB file/,
      'no-meshes': /no meshes/,
      huge: /3072 MiB/,
    };
    for (const [id, problem] of Object.entries(problems)) {
      expect(failed.get(id), id).toContain(join(models, `${id}.glb`));
      expect(failed.get(id), id).toMatch(problem);
    }
    // After the run's summary line, one line per model says what failed and why.
    const lines = run.stderr.trim().split('\n');
    const after = lines.slice(lines.findIndex((l) => l.includes('2/14 images')));
    for (const id of Object.keys(files)) expect(after.filter((l) => l.includes(`failed: 2 jobs: model ${id}: ${join(models, id)}.glb`)), id).toHaveLength(1);

    const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
    expect(coco.images.map((i: { dentfarm: { model: { id: string } } }) => i.dentfarm.model.id)).toEqual(['dentfarm-sedan', 'dentfarm-sedan']);
    expect(readdirSync(join(out, 'images'))).toHaveLength(2);
  }, 300_000);
});
