/**
 * Page entry point: builds the renderer on the page's canvas and exposes it
 * to the farm as `window.dentfarm`.
 */
import type { PageRenderResult, RenderRequest, RendererInfo } from '../protocol';
import { Renderer } from './renderer';

export interface PageApi {
  init(): RendererInfo;
  render(request: RenderRequest): Promise<PageRenderResult>;
  calibrate(width: number, height: number, supersample: number): Promise<string>;
  floor(request: RenderRequest, repeats: number): Promise<number[]>;
}

let renderer: Renderer | null = null;

const api: PageApi = {
  init() {
    const canvas = document.getElementById('canvas') as HTMLCanvasElement;
    renderer ??= new Renderer(canvas);
    return renderer.info();
  },
  render(request) {
    if (!renderer) throw new Error('renderer not initialised: call init() first');
    return renderer.render(request);
  },
  calibrate(width, height, supersample) {
    if (!renderer) throw new Error('renderer not initialised: call init() first');
    return renderer.calibrate(width, height, supersample);
  },
  floor(request, repeats) {
    if (!renderer) throw new Error('renderer not initialised: call init() first');
    return renderer.floor(request, repeats);
  },
};

(window as unknown as { dentfarm: PageApi }).dentfarm = api;
