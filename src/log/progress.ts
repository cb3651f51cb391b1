/**
 * Progress of a long run: on a terminal a bar pinned below the log lines
 * (done/total, rate, ETA, failures), redrawn at most every 100 ms; off a
 * terminal a summary log line every few seconds.
 */
import type { Logger } from './logger';

export class Progress {
  private done = 0;
  private failed = 0;
  private readonly started = Date.now();
  private lastDraw = 0;
  private shown = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly total: number,
    private readonly label = 'render',
  ) {
    if (logger.isTTY && !logger.json) {
      logger.beforeWrite = () => this.clear();
      logger.afterWrite = () => this.draw(true);
    } else {
      this.timer = setInterval(() => this.logLine(), 5000);
      this.timer.unref();
    }
  }

  tick(failed: boolean): void {
    if (failed) this.failed++;
    else this.done++;
    this.draw(false);
  }

  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
    this.logger.beforeWrite = null;
    this.logger.afterWrite = null;
  }

  /** One line: "12/40 30% 1.9 img/s ETA 15s 0 failed". */
  line(): string {
    const finished = this.done + this.failed;
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? finished / seconds : 0;
    const eta = rate > 0 ? (this.total - finished) / rate : NaN;
    const pct = this.total ? Math.floor((100 * finished) / this.total) : 100;
    return `${this.label} ${finished}/${this.total} ${pct}% ${rate.toFixed(2)} img/s ETA ${formatSeconds(eta)} ${this.failed} failed`;
  }

  private draw(force: boolean): void {
    if (!this.logger.isTTY || this.logger.json) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100 && this.done + this.failed < this.total) return;
    this.lastDraw = now;
    const width = 24;
    const finished = this.done + this.failed;
    const filled = this.total ? Math.round((width * finished) / this.total) : width;
    this.logger.raw(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.line()}`);
    this.shown = true;
  }

  private clear(): void {
    if (this.shown) this.logger.raw('\r\x1b[2K');
    this.shown = false;
  }

  private logLine(): void {
    this.logger.info(this.line(), { done: this.done, failed: this.failed, total: this.total });
  }
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}
