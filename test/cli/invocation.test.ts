import { describe, expect, it } from 'vitest';
import { invocation } from '../../src/cli/invocation';

describe('how the command was typed', () => {
  it('is dentfarm from an installed bin, else node and the script, relative to the current folder when below it', () => {
    expect(invocation(['/usr/bin/node', '/usr/local/bin/dentfarm'], '/home/me')).toBe('dentfarm');
    expect(invocation(['/usr/bin/node', '/home/me/dentfarm/bin/dentfarm.js'], '/home/me/dentfarm')).toBe('node bin/dentfarm.js');
    expect(invocation(['/usr/bin/node', '/opt/df/bin/dentfarm.js'], '/home/me')).toBe('node /opt/df/bin/dentfarm.js');
    expect(invocation(['/usr/bin/node', '/home/me/my tools/bin/dentfarm.js'], '/home/me')).toBe('node "my tools/bin/dentfarm.js"');
  });
});
