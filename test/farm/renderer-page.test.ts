import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { RendererPage } from '../../src/farm/renderer-page';
import { smallRun } from './small-run';

describe('a renderer page across jobs', () => {
  it('keeps no listener, and so no result, of a finished job', async () => {
    const run = await smallRun(4);
    const page = await RendererPage.open(run.pageOptions);
    try {
      const tab = (page as unknown as { page: Page }).page;
      const listeners = () => ['error', 'close', 'console', 'request'].map((event) => tab.listenerCount(event));
      const before = listeners();
      for (const request of run.requests) {
        const result = await page.render(request);
        expect(result.color.length).toBeGreaterThan(0);
        // A listener left behind per job would hold that job's pixels for as long as the page lives.
        expect(listeners()).toEqual(before);
      }
    } finally {
      await page.close();
      await run.stop();
    }
  }, 120_000);
});
