import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors';
import { BACKUP_REPO_VERSION, DEFAULT_CHUNKER, type ChunkerParams, type RepoBackend, type RepoConfig } from '../types';
import { CONFIG_KEY } from './layout';

type ConfigFile = RepoConfig & { mac?: string };

export function newConfig(chunker: ChunkerParams = DEFAULT_CHUNKER, now: number): RepoConfig {
  const { minSize, avgSize, maxSize } = chunker;
  if (!(Number.isInteger(minSize) && minSize >= 64 && minSize < avgSize && avgSize < maxSize && maxSize <= 64 * 1024 * 1024)) {
    throw new AppError('INVALID_INPUT', `chunker sizes must satisfy 64 <= min < avg < max <= 64 MiB (got ${minSize}/${avgSize}/${maxSize})`);
  }
  return {
    version: BACKUP_REPO_VERSION,
    id: randomBytes(16).toString('hex'),
    createdAt: now,
    chunker: { algorithm: 'fastcdc-gear-v1', minSize, avgSize, maxSize },
    compression: 'brotli-auto',
  };
}

/** HMAC-SHA256 under the id key over the config's JSON (every field but `mac`, in file order). */
function configMac(idKey: Buffer, config: Omit<ConfigFile, 'mac'>): Buffer {
  return createHmac('sha256', idKey).update('torsh-backup-config\0').update(JSON.stringify(config)).digest();
}

export function encodeConfig(config: RepoConfig, idKey: Buffer): Buffer {
  const body: ConfigFile = { ...config, mac: configMac(idKey, config).toString('hex') };
  return Buffer.from(JSON.stringify(body, null, 2));
}

/** The config as stored, checked for a readable version (before any password is tried). */
export async function readConfig(backend: RepoBackend): Promise<ConfigFile> {
  const raw = await backend.get(CONFIG_KEY);
  if (!raw) throw new AppError('BACKUP_REPO_NOT_FOUND', `no backup repository at ${backend.location} (no config object)`, { location: backend.location });
  let parsed: ConfigFile;
  try {
    parsed = JSON.parse(raw.toString('utf8')) as ConfigFile;
  } catch {
    throw new AppError('BACKUP_FORMAT_UNSUPPORTED', `backup repository ${backend.location}: config is not JSON`, { location: backend.location });
  }
  if (typeof parsed?.version !== 'number') {
    throw new AppError('BACKUP_FORMAT_UNSUPPORTED', `backup repository ${backend.location}: config has no version`, { location: backend.location });
  }
  if (parsed.version > BACKUP_REPO_VERSION) {
    throw new AppError(
      'BACKUP_FORMAT_UNSUPPORTED',
      `backup repository ${backend.location} has format version ${parsed.version}; this build reads up to ${BACKUP_REPO_VERSION} (upgrade torsh)`,
      { location: backend.location, version: parsed.version },
    );
  }
  const c = parsed.chunker;
  if (c?.algorithm !== 'fastcdc-gear-v1' || !(c.minSize > 0 && c.minSize < c.avgSize && c.avgSize < c.maxSize) || parsed.compression !== 'brotli-auto') {
    throw new AppError('BACKUP_FORMAT_UNSUPPORTED', `backup repository ${backend.location}: unknown chunker or compression in config`, {
      location: backend.location,
    });
  }
  return parsed;
}

export function configMacMatches(file: ConfigFile, idKey: Buffer): boolean {
  const { mac, ...config } = file;
  const want = configMac(idKey, config);
  const got = typeof mac === 'string' && /^[0-9a-f]{64}$/.test(mac) ? Buffer.from(mac, 'hex') : Buffer.alloc(0);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** After unlock: refuse a config someone edited (chunker sizes, id…) without the key. */
export function checkConfigMac(backend: RepoBackend, file: ConfigFile, idKey: Buffer): RepoConfig {
  const { mac: _mac, ...config } = file;
  if (!configMacMatches(file, idKey)) {
    throw new AppError('BACKUP_CHUNK_DAMAGED', `backup repository ${backend.location}: config was modified or damaged (its MAC does not match)`, {
      location: backend.location,
      object: 'config',
    });
  }
  return config;
}
