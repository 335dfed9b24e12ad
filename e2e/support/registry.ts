import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { APIRequestContext } from '@playwright/test';
import { writeSamplePackage, type SamplePackageOptions } from '../../lib/engine/format/test-support/sample-package';

export const dataDir = () => process.env.E2E_DATA_DIR!;
export const baseURL = () => process.env.E2E_BASE_URL!;

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A package name no other test uses. */
export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

export async function samplePackage(opts: SamplePackageOptions): Promise<{ file: string; bytes: Buffer; digest: string }> {
  const file = await writeSamplePackage(opts);
  const bytes = await readFile(file);
  return { file, bytes, digest: sha256(bytes) };
}

export async function publish(request: APIRequestContext, name: string, version: string, bytes: Buffer, headers: Record<string, string> = {}) {
  return request.put(`/api/v1/packages/${name}/${version}`, {
    data: bytes,
    headers: { 'content-type': 'application/octet-stream', ...headers },
  });
}

/**
 * Files in the blob store: committed blobs and temp files (anything a failed upload could leave).
 * A missing store is an error (the server creates it at start), so a wrong path cannot pass as "nothing left".
 */
export function blobFiles(): string[] {
  const root = path.join(dataDir(), 'blobs');
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

/** Read-only look at the server's real SQLite file. */
export function queryDb<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(dataDir(), 'torsh.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Write to the server's SQLite file (test setup only, e.g. to age a token past its expiry). */
export function execDb(sql: string, ...params: unknown[]): void {
  const db = new Database(path.join(dataDir(), 'torsh.db'), { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/** Create a user through the admin API and return a bearer token of theirs. */
export async function userWithToken(
  api: APIRequestContext,
  request: APIRequestContext,
  opts: { username: string; roles: string[]; scopes?: string[]; password?: string },
): Promise<{ token: string; password: string }> {
  const password = opts.password ?? `pw-${opts.username}-long`;
  const created = await api.post('/api/v1/users', { data: { username: opts.username, email: `${opts.username}@e2e.test`, password, roles: opts.roles } });
  if (created.status() !== 201) throw new Error(`creating ${opts.username}: ${created.status()} ${await created.text()}`);
  const res = await request.post('/api/v1/auth/tokens', { data: { username: opts.username, password, name: 'e2e', scopes: opts.scopes } });
  if (res.status() !== 201) throw new Error(`token for ${opts.username}: ${res.status()} ${await res.text()}`);
  return { token: (await res.json()).token, password };
}
