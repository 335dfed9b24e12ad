import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CliError, EXIT } from './exit-codes';

/** The on-disk config file (`$TORSH_CONFIG` or ~/.config/torsh/config.json). */
export type ConfigFile = {
  registry?: string;
  token?: string;
  timeout_ms?: number;
  retries?: number;
  cache_dir?: string;
  cache_max_bytes?: number;
};

/** What every command runs with (the crate's RegistryConfig plus the local cache settings). */
export type Config = {
  registry: string;
  token: string | null;
  /** Milliseconds without any data in either direction before a request is abandoned (0: never). */
  timeoutMs: number;
  /** Extra attempts after the first for network errors and 5xx. */
  retries: number;
  cacheDir: string;
  cacheMaxBytes: number;
  configFile: string;
  trustFile: string;
};

export type GlobalFlags = { registry?: string; token?: string; timeout?: string; retries?: string };

export const DEFAULT_REGISTRY = 'http://localhost:3000';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRIES = 3;
export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 ** 3;

const configHome = (env: NodeJS.ProcessEnv) => env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');

export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TORSH_CONFIG || path.join(configHome(env), 'torsh', 'config.json');
}

export function trustFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TORSH_TRUST_FILE || path.join(configHome(env), 'torsh', 'trusted_keys.json');
}

export async function readConfigFile(file: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
    return value as ConfigFile;
  } catch (err) {
    throw new CliError(EXIT.USAGE, `config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Merges `patch` into the config file, written atomically with mode 0600 (it holds a token). */
export async function updateConfigFile(file: string, patch: ConfigFile): Promise<void> {
  const current = await readConfigFile(file);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ ...current, ...patch }, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

function nonNegativeInt(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new CliError(EXIT.USAGE, `${what} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

function registryUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(EXIT.USAGE, `registry must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(EXIT.USAGE, `registry must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return url.href.replace(/\/+$/, '');
}

const pick = <T>(...values: (T | undefined | null | '')[]): T | undefined =>
  values.find((v): v is T => v !== undefined && v !== null && v !== '');

/** Flags, then environment, then the config file, then defaults. */
export async function loadConfig(flags: GlobalFlags, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const configFile = configFilePath(env);
  const file = await readConfigFile(configFile);
  const timeoutMs = pick(nonNegativeInt(flags.timeout, '--timeout'), nonNegativeInt(env.TORSH_TIMEOUT_MS, 'TORSH_TIMEOUT_MS'), nonNegativeInt(file.timeout_ms, 'timeout_ms'));
  const retries = pick(nonNegativeInt(flags.retries, '--retries'), nonNegativeInt(env.TORSH_RETRIES, 'TORSH_RETRIES'), nonNegativeInt(file.retries, 'retries'));
  const cacheMax = pick(nonNegativeInt(env.TORSH_CACHE_MAX_BYTES, 'TORSH_CACHE_MAX_BYTES'), nonNegativeInt(file.cache_max_bytes, 'cache_max_bytes'));
  return {
    registry: registryUrl(pick(flags.registry, env.TORSH_REGISTRY, file.registry) ?? DEFAULT_REGISTRY),
    token: pick(flags.token, env.TORSH_TOKEN, file.token) ?? null,
    timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: retries ?? DEFAULT_RETRIES,
    cacheDir: pick(env.TORSH_CACHE_DIR, file.cache_dir) ?? path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'torsh'),
    cacheMaxBytes: cacheMax ?? DEFAULT_CACHE_MAX_BYTES,
    configFile,
    trustFile: trustFilePath(env),
  };
}
