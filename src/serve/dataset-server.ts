/**
 * `dentfarm serve DIR`: a local web page over a written dataset, on
 * 127.0.0.1 only. It reads the dataset once, as written, and answers:
 *
 * - `/`: the viewer page (grid with filters, image view with masks);
 * - `/report`: the balance report of `dentfarm report`;
 * - `/api/dataset.json`: one summary row per image for the grid;
 * - `/api/image/ID.json`: an image's entry and its annotations, masks as
 *   uncompressed RLE counts, and whether its image file is missing;
 * - `/<file_name>`: an image file, only if annotations.json lists it (as
 *   an image or a twin) and its real path (links followed) lies inside the
 *   dataset folder; any other path is 404, so nothing outside the dataset's
 *   own files can be reached, whatever annotations.json says. Requests must name the host
 *   127.0.0.1 or localhost, which keeps out pages of other sites that
 *   point their own names at this machine.
 *
 * A request that fails is answered 500 with a one-line JSON error and
 * logged; the server keeps serving.
 */
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, sep } from 'node:path';
import { decompressRle, encodeRle, type RleInput } from '../annotation/rle';
import { rasterizePolygons } from '../annotation/polygon';
import { DentfarmError } from '../errors';
import type { Logger } from '../log/logger';
import { facetValue } from '../report/dataset-stats';
import { isPartCategory, type Dataset, type DatasetAnnotation, type DatasetImage } from '../report/read-dataset';
import { renderReportHtml } from '../report/report-html';
import { datasetReport, type ReportOptions } from '../report/write-report';
import { categoryColourMap } from '../report/svg-plots';
import { viewerPageHtml } from './viewer-page';

export interface ServeOptions extends ReportOptions {
  /** TCP port on 127.0.0.1; 0 takes any free port. */
  port: number;
  /** Where a request that fails is logged; default: nowhere. */
  logger?: Logger;
}

/** The only address the server listens on. */
export const SERVE_HOST = '127.0.0.1';

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

/** One grid row of `/api/dataset.json`. */
export interface GridImage {
  id: number;
  file: string;
  model: string;
  colour: string;
  lighting: string;
  background: string;
  view: string;
  split: string | null;
  /** Damage instances (iscrowd 0). */
  instances: number;
  /**
   * Category ids with an instance or part mask in the image; ignore regions
   * (iscrowd 1) are not counted, as in the report's images per category.
   */
  categories: number[];
  /** attributes.part of the image's damage instances (iscrowd 0), as the report counts parts. */
  parts: string[];
}

export class DatasetServer {
  private constructor(
    private readonly server: Server,
    /** The page's address, e.g. `http://127.0.0.1:8080/`. */
    readonly url: string,
    /** Images the dataset lists. */
    readonly images: number,
  ) {}

  /**
   * Reads the dataset in `dir` and starts listening.
   *
   * @param shown - How the folder is named on the page and in errors.
   * @throws DentfarmError (USAGE) for a missing dataset or a port already taken.
   */
  static async start(dir: string, options: ServeOptions, shown = dir): Promise<DatasetServer> {
    const { dataset, stats } = datasetReport(dir, options, shown);
    const routes = buildRoutes(dataset, renderReportHtml(stats, shown), shown);
    // A request that fails is answered 500 and logged; the server goes on serving the others.
    const server = createServer((request, response) => {
      try {
        answer(request, response, routes, options.logger);
      } catch (error) {
        failRequest(request, response, error, options.logger);
      }
    });
    await new Promise<void>((done, fail) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        fail(
          error.code === 'EADDRINUSE'
            ? new DentfarmError('USAGE', `--port ${options.port}: already in use on ${SERVE_HOST}; fix: pass another port, or --port 0 for any free one`)
            : error,
        ),
      );
      server.listen(options.port, SERVE_HOST, () => done());
    });
    const { port } = server.address() as AddressInfo;
    return new DatasetServer(server, `http://${SERVE_HOST}:${port}/`, dataset.images.length);
  }

  /** Stops listening and ends open connections. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

interface Routes {
  page: string;
  report: string;
  datasetJson: string;
  images: Map<number, { image: DatasetImage; annotations: DatasetAnnotation[] }>;
  /** URL path (decoded, without the leading slash) to absolute file, for listed files only. */
  files: Map<string, string>;
  /** The dataset folder's real path, ending in the path separator. */
  root: string;
}

function buildRoutes(dataset: Dataset, report: string, title: string): Routes {
  const partIds = new Set(dataset.categories.filter(isPartCategory).map((c) => c.id));
  const byImage = new Map<number, DatasetAnnotation[]>();
  for (const a of dataset.annotations) byImage.set(a.image_id, [...(byImage.get(a.image_id) ?? []), a]);
  const files = new Map<string, string>();
  const grid: GridImage[] = [];
  for (const image of dataset.images) {
    for (const name of [image.file_name, image.dentfarm?.twin_file_name]) {
      if (typeof name === 'string') files.set(name, join(dataset.dir, name));
    }
    const annotations = (byImage.get(image.id) ?? []).filter((a) => a.iscrowd === 0);
    const damage = annotations.filter((a) => !partIds.has(a.category_id));
    grid.push({
      id: image.id,
      file: image.file_name,
      model: facetValue(image, 'model', dataset.splits),
      colour: facetValue(image, 'colour', dataset.splits),
      lighting: facetValue(image, 'lighting', dataset.splits),
      background: facetValue(image, 'background', dataset.splits),
      view: facetValue(image, 'view', dataset.splits),
      split: dataset.splits.get(image.id) ?? null,
      instances: damage.length,
      categories: [...new Set(annotations.map((a) => a.category_id))].sort((a, b) => a - b),
      parts: [...new Set(damage.map((a) => a.attributes?.part).filter((p): p is string => typeof p === 'string'))].sort(),
    });
  }
  const shard = dataset.summary?.shard as { count?: number } | null | undefined;
  const colours = categoryColourMap(dataset.categories, isPartCategory);
  // Damage classes first, then parts, each in id order: the order of the filter and the toggles.
  const categories = [...dataset.categories]
    .sort((a, b) => Number(isPartCategory(a)) - Number(isPartCategory(b)) || a.id - b.id)
    .map((c) => ({ ...c, part: isPartCategory(c), colour: colours.get(c.id) }));
  const datasetJson = JSON.stringify({
    title,
    images: grid,
    annotations: dataset.annotations.length,
    categories,
    shardCount: typeof shard?.count === 'number' ? shard.count : 1,
  });
  return {
    page: viewerPageHtml(),
    report,
    datasetJson,
    images: new Map(dataset.images.map((image) => [image.id, { image, annotations: byImage.get(image.id) ?? [] }])),
    files,
    root: realpathSync(dataset.dir) + sep,
  };
}

function answer(request: IncomingMessage, response: ServerResponse, routes: Routes, logger: Logger | undefined): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain', 'only GET and HEAD\n');
  // A page elsewhere that points its own host name at 127.0.0.1 must not read the dataset.
  const host = (request.headers.host ?? '').replace(/:\d+$/, '');
  if (host !== SERVE_HOST && host !== 'localhost') return send(response, 403, 'text/plain', 'only for 127.0.0.1\n');
  let path: string;
  try {
    path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  } catch {
    return send(response, 400, 'text/plain', 'bad path\n');
  }
  if (path === '/') return send(response, 200, 'text/html; charset=utf-8', routes.page);
  if (path === '/report') return send(response, 200, 'text/html; charset=utf-8', routes.report);
  if (path === '/api/dataset.json') return send(response, 200, 'application/json', routes.datasetJson);
  const m = /^\/api\/image\/(\d+)\.json$/.exec(path);
  if (m) {
    const entry = routes.images.get(Number(m[1]));
    if (!entry) return send(response, 404, 'text/plain', 'no such image\n');
    const fileMissing = servedFile(routes, entry.image.file_name) === null;
    return send(response, 200, 'application/json', JSON.stringify(imageDetail(entry.image, entry.annotations, fileMissing)));
  }
  const file = servedFile(routes, path.slice(1));
  if (file) {
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'content-length': statSync(file).size, 'cache-control': 'no-cache' });
    if (request.method === 'HEAD') return void response.end();
    // A file that goes away or cannot be read after the headers ends the response, not the server.
    createReadStream(file)
      .on('error', (error) => failRequest(request, response, error, logger))
      .pipe(response);
    return;
  }
  send(response, 404, 'text/plain', 'not a file of this dataset\n');
}

/**
 * The absolute file a URL path (decoded, without the leading slash) serves:
 * one annotations.json lists, there, a plain file, whose real path lies
 * inside the dataset folder; else null.
 */
function servedFile(routes: Routes, name: string): string | null {
  const file = routes.files.get(name);
  return file && existsSync(file) && realpathSync(file).startsWith(routes.root) && statSync(file).isFile() ? file : null;
}

/**
 * Answers a request that threw with 500 and one line of JSON,
 * `{"error": "..."}`, or ends its response where the headers are already
 * out, and logs it.
 */
function failRequest(request: IncomingMessage, response: ServerResponse, error: unknown, logger: Logger | undefined): void {
  const message = `${request.method} ${request.url}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
  logger?.error(message);
  if (response.headersSent) return void response.destroy();
  send(response, 500, 'application/json', `${JSON.stringify({ error: message })}\n`);
}

/**
 * An image's entry and its annotations, each mask as uncompressed RLE
 * counts, amodal masks left out; `file_missing` when the image file is not
 * there to serve, so the page can say so and still show the annotations.
 */
function imageDetail(image: DatasetImage, annotations: readonly DatasetAnnotation[], fileMissing: boolean) {
  return {
    image,
    file_missing: fileMissing,
    annotations: annotations.map((a) => {
      const { amodal_segmentation: _, ...attributes } = a.attributes ?? {};
      return {
        id: a.id,
        category_id: a.category_id,
        iscrowd: a.iscrowd,
        area: a.area,
        bbox: a.bbox,
        attributes,
        ...maskCounts(a, image),
      };
    }),
  };
}

function maskCounts(a: DatasetAnnotation, image: DatasetImage): { size: [number, number]; counts: number[] } {
  if (Array.isArray(a.segmentation)) return encodeRle(rasterizePolygons(a.segmentation, image.width, image.height));
  const rle = a.segmentation as RleInput;
  return { size: [rle.size[0], rle.size[1]], counts: typeof rle.counts === 'string' ? decompressRle(rle.counts) : [...rle.counts] };
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-cache' });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
