import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { APIRequestContext } from '@playwright/test';
import { writeSamplePackage, type SamplePackageOptions } from '../../lib/engine/format/test-helpers/sample-package';

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

/** Files in the blob store: committed blobs and temp files (anything a failed upload could leave). */
export function blobFiles(): string[] {
  const root = path.join(dataDir(), 'blobs');
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
  } catch {
    return [];
  }
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
