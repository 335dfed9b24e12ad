import { AppError } from '../errors';
import { DIGEST_RE } from '../storage/blob-store';
import type { NodeRef } from './types';

/** Refs are small: anything bigger is not one of ours. */
export const MAX_REF_BYTES = 4_096;

/** `refs/<name>/<version>.json` under the node's prefix (names and versions are URL- and path-safe by validation). */
export function refKey(prefix: string, name: string, version: string): string {
  return `${prefix}refs/${name}/${version}.json`;
}

export function encodeRef(ref: NodeRef): string {
  return JSON.stringify({ name: ref.name, version: ref.version, digest: ref.digest, size: ref.size, yanked: ref.yanked, written_at: ref.written_at });
}

/** Parse a ref read from a node; a damaged one is an error naming where it was. */
export function decodeRef(text: string, where: string): NodeRef {
  let v: Partial<NodeRef>;
  try {
    v = JSON.parse(text) as Partial<NodeRef>;
  } catch {
    throw new AppError('STORAGE_UNAVAILABLE', `damaged ref at ${where}: not JSON`);
  }
  if (
    typeof v.name !== 'string' ||
    typeof v.version !== 'string' ||
    typeof v.digest !== 'string' ||
    !DIGEST_RE.test(v.digest) ||
    typeof v.size !== 'number' ||
    typeof v.written_at !== 'number'
  ) {
    throw new AppError('STORAGE_UNAVAILABLE', `damaged ref at ${where}: missing fields`);
  }
  return { name: v.name, version: v.version, digest: v.digest, size: v.size, yanked: v.yanked === true, written_at: v.written_at };
}
