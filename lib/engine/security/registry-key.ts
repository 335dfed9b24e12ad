import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { signingKeys } from '@/db/schema';
import type { Engine } from '../engine';
import { generateSigningKey, keyIdOf, publicKeyFromPrivate } from './signing';

export type RegistryKey = { keyId: string; privateKeyPem: string };

const cache = new WeakMap<Engine, Promise<RegistryKey>>();

async function loadOrCreate(engine: Engine): Promise<RegistryKey> {
  const dir = path.join(engine.dataDir, 'keys');
  const file = path.join(dir, 'registry-ed25519.pem');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch {
    const fresh = generateSigningKey();
    try {
      // 'wx': when two processes race, the first file wins and the other reads it.
      await writeFile(file, fresh.privateKeyPem, { mode: 0o600, flag: 'wx' });
      pem = fresh.privateKeyPem;
    } catch {
      pem = await readFile(file, 'utf8');
    }
  }
  const publicKey = publicKeyFromPrivate(pem);
  const keyId = keyIdOf(publicKey);
  engine.db.insert(signingKeys).values({ keyId, userId: null, name: 'registry', publicKey, createdAt: Date.now() }).onConflictDoNothing().run();
  return { keyId, privateKeyPem: pem };
}

/** The registry's own Ed25519 key (data/keys/registry-ed25519.pem, 0600), created on first use. */
export function registryKey(engine: Engine): Promise<RegistryKey> {
  let p = cache.get(engine);
  if (!p) {
    p = loadOrCreate(engine);
    cache.set(engine, p);
  }
  return p;
}
