import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { keyIdOf } from '../engine/security/signing';
import type { Config } from './config';
import { CliError, EXIT, HttpError, NetworkError } from './exit-codes';
import { requestJson } from './http-client';
import { note } from './output';

export type TrustedKey = { key_id: string; public_key: string; owner?: string | null; revoked?: boolean };
export type KeyLookup =
  | { status: 'trusted'; key: TrustedKey; source: 'local' | 'registry' }
  | { status: 'revoked'; key: TrustedKey }
  | { status: 'unknown' };

/** The local trust file (`$TORSH_TRUST_FILE` or ~/.config/torsh/trusted_keys.json): `{keys: [{key_id, public_key}]}`. */
export async function readTrustFile(file: string): Promise<TrustedKey[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as { keys?: unknown };
    if (!Array.isArray(parsed.keys)) throw new Error('"keys" must be an array');
    return parsed.keys.filter(
      (k): k is TrustedKey => typeof k === 'object' && k !== null && typeof k.key_id === 'string' && typeof k.public_key === 'string',
    );
  } catch (err) {
    throw new CliError(EXIT.USAGE, `trust file ${file} is not valid: ${(err as Error).message}`);
  }
}

export async function addToTrustFile(file: string, key: TrustedKey): Promise<void> {
  const keys = (await readTrustFile(file)).filter((k) => k.key_id !== key.key_id);
  keys.push(key);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/** The registry's trusted keys (GET /api/v1/keys/trusted); null when the registry has no such endpoint. */
export async function registryTrustedKeys(cfg: Config): Promise<TrustedKey[] | null> {
  try {
    const { body } = await requestJson<{ keys: TrustedKey[] }>(cfg, { method: 'GET', path: '/api/v1/keys/trusted' });
    return Array.isArray(body?.keys) ? body.keys : [];
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return null;
    throw err;
  }
}

export type KeyStatus = 'trusted' | 'revoked' | 'invalid';

/** The ids listed as revoked: a revocation counts whatever else lists the key. */
export function revokedIds(keys: TrustedKey[]): Set<string> {
  return new Set(keys.filter((k) => k.revoked).map((k) => k.key_id));
}

/** How verify treats a listed key: revoked, invalid (its public key does not have its id: never used), or trusted. */
export function keyStatus(key: TrustedKey, revoked: ReadonlySet<string> = new Set()): KeyStatus {
  if (key.revoked || revoked.has(key.key_id)) return 'revoked';
  try {
    return keyIdOf(key.public_key) === key.key_id ? 'trusted' : 'invalid';
  } catch {
    return 'invalid';
  }
}

/**
 * Looks a key id up in the local trust file and the registry's trusted keys. A key the registry
 * marks revoked stays revoked even if the local file lists it.
 */
export async function lookupKey(cfg: Config, keyId: string, opts: { registry: boolean }): Promise<KeyLookup> {
  const local = (await readTrustFile(cfg.trustFile)).filter((k) => k.key_id === keyId);
  const localTrusted = local.find((k) => keyStatus(k) === 'trusted');
  let remote: TrustedKey[] | null = null;
  try {
    remote = opts.registry ? await registryTrustedKeys(cfg) : null;
  } catch (err) {
    // Offline: a locally trusted key still verifies (revocations cannot be checked).
    if (!(err instanceof NetworkError) || !localTrusted) throw err;
    note(`torsh: warning: ${err.message}; using the local trust file only (revocations not checked)\n`);
    return { status: 'trusted', key: localTrusted, source: 'local' };
  }
  if (opts.registry && remote === null) note('torsh: warning: the registry has no trusted-keys endpoint; using the local trust file only\n');
  const listed = [...local, ...(remote ?? []).filter((k) => k.key_id === keyId)];
  const revokedKey = listed.find((k) => k.revoked);
  if (revokedKey) return { status: 'revoked', key: revokedKey };
  if (localTrusted) return { status: 'trusted', key: localTrusted, source: 'local' };
  const fromRegistry = remote?.find((k) => k.key_id === keyId && keyStatus(k) === 'trusted');
  if (fromRegistry) return { status: 'trusted', key: fromRegistry, source: 'registry' };
  return { status: 'unknown' };
}
