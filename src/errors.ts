/**
 * The one error hierarchy of dentfarm. A `DentfarmError` is an expected,
 * user-fixable problem: the CLI prints its one-line message and exits with
 * the code its kind maps to. Anything else is a bug and prints its stack.
 */

export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_UNREADABLE'
  | 'MODEL_INVALID'
  | 'MODEL_NOT_FOUND'
  | 'BROWSER_NOT_FOUND'
  | 'BROWSER_FAILED'
  | 'WEBGL_UNAVAILABLE'
  | 'OUTPUT_FAILED'
  | 'USAGE';

/** Process exit codes: 0 success, 1 some jobs failed, 2 bad usage or config. */
export const EXIT_OK = 0;
export const EXIT_JOBS_FAILED = 1;
export const EXIT_USAGE = 2;

export class DentfarmError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DentfarmError';
  }

  get exitCode(): number {
    return this.code === 'CONFIG_INVALID' ||
      this.code === 'CONFIG_UNREADABLE' ||
      this.code === 'MODEL_NOT_FOUND' ||
      this.code === 'BROWSER_NOT_FOUND' ||
      this.code === 'USAGE'
      ? EXIT_USAGE
      : EXIT_JOBS_FAILED;
  }
}

/**
 * A config problem, located: file, JSON path, what was expected, what was
 * found and how to fix it, all on one line.
 */
export class ConfigError extends DentfarmError {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly expected: string,
    readonly found: string,
    readonly fix: string,
  ) {
    super(
      'CONFIG_INVALID',
      `${file}: ${path || '/'}: expected ${expected}, found ${found}; fix: ${fix}`,
    );
    this.name = 'ConfigError';
  }
}
