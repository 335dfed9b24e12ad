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
  /** How `torsh download` uses the mirrors and edges the registry names (the crate's FailoverConfig). */
  failover?: {
    enabled?: boolean;
    max_retries?: number;
    retry_delay_ms?: number;
    failback?: boolean;
    attempt_timeout_ms?: number;
    region?: string;
  };
};

/**
 * The crate's FailoverConfig (enabled, max_retries, retry_delay_ms, auto_failback) plus the
 * per-attempt timeout and the region to ask the registry for.
 */
export type FailoverConfig = {
  /** Ask the registry for the version's locations (false: download from the registry only, as before). */
  enabled: boolean;
  /** Retries of one location after a transient failure (5xx, 429, a dropped connection) before failing over. */
  maxRetries: number;
  /** Wait before each of those retries. */
  retryDelayMs: number;
  /**
   * true: every download starts with the registry's order, so a recovered mirror is used again at
   * once. false: a location that failed stays behind the others in later downloads (remembered in
   * the cache directory) until it is the one that serves.
   */
  failback: boolean;
  /** Time allowed to connect and get an answer, and the longest silence while the body streams. */
  attemptTimeoutMs: number;
  /** Passed as ?region= (the registry orders locations for it); null: the registry decides. */
  region: string | null;
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
  failover: FailoverConfig;
};

export type GlobalFlags = { registry?: string; token?: string; timeout?: string; retries?: string };

export const DEFAULT_REGISTRY = 'http://localhost:3000';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRIES = 3;
export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 ** 3;
export const DEFAULT_FAILOVER: FailoverConfig = { enabled: true, maxRetries: 3, retryDelayMs: 1000, failback: true, attemptTimeoutMs: 10_000, region: null };

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

function bool(value: unknown, what: string): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  const v = String(value).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new CliError(EXIT.USAGE, `${what} must be true or false (1 or 0), got ${JSON.stringify(value)}`);
}

const REGION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function regionName(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !REGION.test(value)) throw new CliError(EXIT.USAGE, `${what} must be a region name like eu-west, got ${JSON.stringify(value)}`);
  return value;
}

/** Failover settings from the environment, then the config file's "failover" object, then defaults. */
function loadFailover(env: NodeJS.ProcessEnv, file: ConfigFile): FailoverConfig {
  const f = file.failover ?? {};
  if (typeof f !== 'object' || Array.isArray(f)) throw new CliError(EXIT.USAGE, '"failover" in the config file must be a JSON object');
  const d = DEFAULT_FAILOVER;
  return {
    enabled: pick(bool(env.TORSH_FAILOVER, 'TORSH_FAILOVER'), bool(f.enabled, 'failover.enabled')) ?? d.enabled,
    maxRetries: pick(nonNegativeInt(env.TORSH_FAILOVER_MAX_RETRIES, 'TORSH_FAILOVER_MAX_RETRIES'), nonNegativeInt(f.max_retries, 'failover.max_retries')) ?? d.maxRetries,
    retryDelayMs: pick(nonNegativeInt(env.TORSH_FAILOVER_RETRY_DELAY_MS, 'TORSH_FAILOVER_RETRY_DELAY_MS'), nonNegativeInt(f.retry_delay_ms, 'failover.retry_delay_ms')) ?? d.retryDelayMs,
    failback: pick(bool(env.TORSH_FAILBACK, 'TORSH_FAILBACK'), bool(f.failback, 'failover.failback')) ?? d.failback,
    attemptTimeoutMs:
      pick(nonNegativeInt(env.TORSH_FAILOVER_ATTEMPT_TIMEOUT_MS, 'TORSH_FAILOVER_ATTEMPT_TIMEOUT_MS'), nonNegativeInt(f.attempt_timeout_ms, 'failover.attempt_timeout_ms')) ?? d.attemptTimeoutMs,
    region: pick(regionName(env.TORSH_REGION, 'TORSH_REGION'), regionName(f.region, 'failover.region')) ?? d.region,
  };
}

/** The download command's failover flags over the loaded settings. */
export type FailoverFlags = { failover?: boolean; failback?: boolean; maxRetries?: string; retryDelay?: string; attemptTimeout?: string; region?: string };

export function withFailoverFlags(fo: FailoverConfig, flags: FailoverFlags): FailoverConfig {
  return {
    enabled: flags.failover === false ? false : fo.enabled,
    failback: flags.failback === false ? false : fo.failback,
    maxRetries: nonNegativeInt(flags.maxRetries, '--max-retries') ?? fo.maxRetries,
    retryDelayMs: nonNegativeInt(flags.retryDelay, '--retry-delay') ?? fo.retryDelayMs,
    attemptTimeoutMs: nonNegativeInt(flags.attemptTimeout, '--attempt-timeout') ?? fo.attemptTimeoutMs,
    region: regionName(flags.region, '--region') ?? fo.region,
  };
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
    failover: loadFailover(env, file),
  };
}
