import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, writeConfig } from './run-cli';

describe('a bad config', () => {
  it('exits 2 with one line naming file, field, expected, found and fix, and writes nothing', async () => {
    const config = writeConfig({ models: ['dentfarm-sedan'], image: { width: -5 } });
    const out = join(tempDir(), 'never');
    const run = await runCli(['render', config, '--out', out]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(config);
    expect(lines[0]).toContain('/image/width');
    expect(lines[0]).toMatch(/expected .*>= 16/);
    expect(lines[0]).toContain('found -5');
    expect(lines[0]).toContain('fix:');
    expect(existsSync(out)).toBe(false);
  });

  it('names an unknown model id and the ids that exist', async () => {
    const config = writeConfig({ models: ['no-such-car'] });
    const run = await runCli(['plan', config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/models/0');
    expect(run.stderr).toContain('dentfarm-sedan');
  });
});
