import path from 'node:path';

/**
 * The install folder (where db/migrations lives, and ./data by default). bin/start.mjs sets
 * TORSH_APP_ROOT from its own location, so `node /opt/hub/bin/start.mjs` works from any working
 * directory; tests and tools run from the repository root.
 */
export function appRoot(): string {
  return path.resolve(process.env.TORSH_APP_ROOT || process.cwd());
}

/** TORSH_DATA_DIR (relative paths from the working directory), else `<install>/data`. */
export function defaultDataDir(): string {
  return process.env.TORSH_DATA_DIR ? path.resolve(process.env.TORSH_DATA_DIR) : path.join(appRoot(), 'data');
}
