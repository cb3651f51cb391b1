/**
 * Finds a Chromium or Chrome binary: an explicit path first, then
 * DENTFARM_CHROMIUM / PUPPETEER_EXECUTABLE_PATH / CHROME_PATH, then the
 * usual system locations.
 */
import { accessSync, constants } from 'node:fs';
import { DentfarmError } from '../errors';

const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

const ENV_VARS = ['DENTFARM_CHROMIUM', 'PUPPETEER_EXECUTABLE_PATH', 'CHROME_PATH'];

export function findChromium(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = () => undefined,
): string {
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new DentfarmError(
        'BROWSER_NOT_FOUND',
        `--chromium ${explicit} is not an executable file; pass the path of a Chromium or Chrome binary`,
      );
    }
    return explicit;
  }
  for (const name of ENV_VARS) {
    const value = env[name];
    if (!value) continue;
    if (isExecutable(value)) return value;
    warn(`${name}=${value} is not an executable file; looking elsewhere`);
  }
  for (const path of SYSTEM_PATHS) if (isExecutable(path)) return path;
  throw new DentfarmError(
    'BROWSER_NOT_FOUND',
    `no Chromium found (looked at --chromium, ${ENV_VARS.join(', ')} and ${SYSTEM_PATHS.slice(0, 3).join(', ')}); install it (Debian: apt-get install -y chromium) or pass --chromium PATH`,
  );
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
