/**
 * The one place dentfarm prints diagnostics. The core reports through a
 * `Logger`; it writes human lines to a terminal and JSON lines elsewhere,
 * so container logs can be parsed. Results go to stdout, this to stderr.
 */
import type { Writable } from 'node:stream';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export class Logger {
  /** Called before each line so a live progress bar can clear itself. */
  beforeWrite: (() => void) | null = null;
  afterWrite: (() => void) | null = null;

  constructor(
    private readonly stream: Writable & { isTTY?: boolean },
    private readonly level: LogLevel = 'info',
    readonly json = !stream.isTTY,
  ) {}

  get isTTY(): boolean {
    return !!this.stream.isTTY;
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.write('debug', message, fields);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.write('error', message, fields);
  }

  /** Writes raw text (a progress line) without level or newline handling. */
  raw(text: string): void {
    this.stream.write(text);
  }

  private write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (ORDER[level] < ORDER[this.level]) return;
    this.beforeWrite?.();
    if (this.json) {
      this.stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
    } else {
      const prefix = level === 'info' ? '' : `${level}: `;
      this.stream.write(`${prefix}${message}\n`);
    }
    this.afterWrite?.();
  }
}
