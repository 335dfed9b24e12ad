import { randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import os from 'node:os';
import { AppError } from '../../errors';
import type { MasterKey, RepoBackend, RepoKeyInfo } from '../types';
import { KEYS_PREFIX, keyFileKey, listIds } from './layout';
import { seal, unseal } from './sealing';

/** scrypt cost: 2^15 × 8 × 128 B = 32 MiB and ~0.1 s per try, as restic. */
export const SCRYPT_PARAMS = { N: 1 << 15, r: 8, p: 1 } as const;
const SCRYPT_MAXMEM = 64 * 1024 * 1024;
const KEY_FILE_VERSION = 1;

/** `keys/<id>`: the master key sealed under a key derived from one password. */
export type KeyFile = {
  version: number;
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64, 32 random bytes. */
  salt: string;
  /** base64 sealed JSON `{encKey, idKey, chunkerKey}` (base64 each); AAD = `keys/<id>`. */
  data: string;
  label: string | null;
  host: string;
  createdAt: number;
};

function scrypt(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, 32, { ...opts, maxmem: SCRYPT_MAXMEM }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export function newMasterKey(): MasterKey {
  return { encKey: randomBytes(32), idKey: randomBytes(32), chunkerKey: randomBytes(32) };
}

export function newId(): string {
  return randomBytes(32).toString('hex');
}

/** Wrap the master key under a new password: writes `keys/<id>` and returns the id. */
export async function writeKeyFile(backend: RepoBackend, master: MasterKey, password: string, label: string | null, now: number): Promise<string> {
  if (password === '') throw new AppError('INVALID_INPUT', 'a backup repository password cannot be empty');
  const id = newId();
  const salt = randomBytes(32);
  const wrapKey = await scrypt(password, salt, SCRYPT_PARAMS);
  const plain = Buffer.from(
    JSON.stringify({
      encKey: master.encKey.toString('base64'),
      idKey: master.idKey.toString('base64'),
      chunkerKey: master.chunkerKey.toString('base64'),
    }),
  );
  const file: KeyFile = {
    version: KEY_FILE_VERSION,
    kdf: 'scrypt',
    ...SCRYPT_PARAMS,
    salt: salt.toString('base64'),
    data: seal(wrapKey, keyFileKey(id), plain).toString('base64'),
    label,
    host: os.hostname(),
    createdAt: now,
  };
  await backend.putIfAbsent(keyFileKey(id), Buffer.from(JSON.stringify(file, null, 2)));
  await backend.flush();
  return id;
}

export async function readKeyFile(backend: RepoBackend, id: string): Promise<KeyFile | null> {
  const raw = await backend.get(keyFileKey(id));
  if (!raw) return null;
  try {
    const f = JSON.parse(raw.toString('utf8')) as KeyFile;
    return f && f.kdf === 'scrypt' && typeof f.salt === 'string' && typeof f.data === 'string' ? f : null;
  } catch {
    return null;
  }
}

async function unwrap(file: KeyFile, id: string, password: string): Promise<MasterKey | null> {
  if (file.version > KEY_FILE_VERSION) return null;
  // Bounded costs only: a planted key file must not make the opener allocate gigabytes.
  if (!(file.N >= 2 && file.N <= 1 << 20 && file.r >= 1 && file.r <= 32 && file.p >= 1 && file.p <= 16)) return null;
  const wrapKey = await scrypt(password, Buffer.from(file.salt, 'base64'), { N: file.N, r: file.r, p: file.p }).catch(() => null);
  if (!wrapKey) return null;
  const plain = unseal(wrapKey, keyFileKey(id), Buffer.from(file.data, 'base64'));
  if (!plain) return null;
  const j = JSON.parse(plain.toString('utf8')) as Record<string, string>;
  const key = {
    encKey: Buffer.from(j.encKey, 'base64'),
    idKey: Buffer.from(j.idKey, 'base64'),
    chunkerKey: Buffer.from(j.chunkerKey, 'base64'),
  };
  return key.encKey.length === 32 && key.idKey.length === 32 && key.chunkerKey.length === 32 ? key : null;
}

/**
 * Try the password against every key file (BACKUP_WRONG_PASSWORD when none opens). `accept`
 * checks an unwrapped key against the config: a key file left by an init that crashed before
 * writing its config may open with the same password but holds another master key.
 */
export async function unlockMasterKey(
  backend: RepoBackend,
  password: string,
  accept: (key: MasterKey) => boolean = () => true,
): Promise<{ keyId: string; key: MasterKey }> {
  const ids = await listIds(backend, KEYS_PREFIX);
  let rejected: { keyId: string; key: MasterKey } | null = null;
  for (const id of ids) {
    const file = await readKeyFile(backend, id);
    if (!file) continue;
    const key = await unwrap(file, id, password);
    if (key && accept(key)) return { keyId: id, key };
    if (key) rejected ??= { keyId: id, key };
  }
  // Opened, but the config does not match: the caller reports it.
  if (rejected) return rejected;
  throw new AppError(
    'BACKUP_WRONG_PASSWORD',
    ids.length === 0
      ? `backup repository ${backend.location} has no key files`
      : `wrong password for backup repository ${backend.location} (tried ${ids.length} key${ids.length === 1 ? '' : 's'})`,
    { location: backend.location },
  );
}

export async function listKeyInfos(backend: RepoBackend, currentId: string): Promise<RepoKeyInfo[]> {
  const out: RepoKeyInfo[] = [];
  for (const id of await listIds(backend, KEYS_PREFIX)) {
    const f = await readKeyFile(backend, id);
    if (!f) continue;
    out.push({ id, label: f.label ?? null, createdAt: f.createdAt, host: f.host, current: id === currentId });
  }
  return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}
