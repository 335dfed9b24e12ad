import type { ByteRange } from '@/lib/engine/storage/blob-store';
import { etagMatches, parseRange } from '../http-range';

/** What the resolve route needs to know of one file of a revision. */
export type ResolvedFile = {
  path: string;
  size: number;
  /** The etag the clients key their cache by: the sha256 for LFS files, the git oid otherwise. */
  etag: string;
  commit: string;
};

export type ResolvePlan =
  | { status: 200 | 206; headers: Record<string, string>; range: ByteRange | null }
  | { status: 304 | 416; headers: Record<string, string>; range: null };

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Status and headers of a resolve answer, before any byte is read: the headers `huggingface_hub`
 * and `@huggingface/hub` read (ETag, X-Linked-Etag, X-Linked-Size, X-Repo-Commit, Content-Range on
 * the `bytes=0-0` probe), If-None-Match → 304, Range → 206 or 416.
 */
export function planResolve(file: ResolvedFile, req: { range: string | null; ifNoneMatch: string | null; noContentDisposition: boolean }): ResolvePlan {
  const quoted = `"${file.etag}"`;
  const common: Record<string, string> = {
    etag: quoted,
    'x-linked-etag': quoted,
    'x-linked-size': String(file.size),
    'x-repo-commit': file.commit,
    'accept-ranges': 'bytes',
    'cache-control': 'private, no-cache',
    vary: 'Authorization, Cookie',
  };
  if (etagMatches(req.ifNoneMatch, quoted)) return { status: 304, headers: common, range: null };
  const headers: Record<string, string> = { ...common, 'content-type': 'application/octet-stream' };
  if (!req.noContentDisposition) headers['content-disposition'] = `attachment; filename*=UTF-8''${encodeURIComponent(basename(file.path))}`;
  const range = parseRange(req.range, file.size);
  // An empty file has no byte 0 to probe: answer it whole, with the size where the clients look for it.
  if (file.size === 0) return { status: 200, headers: { ...headers, 'content-length': '0', 'content-range': 'bytes */0' }, range: null };
  if (range.kind === 'unsatisfiable') return { status: 416, headers: { ...common, 'content-range': `bytes */${file.size}`, 'content-length': '0' }, range: null };
  if (range.kind === 'range') {
    const { start, end } = range.range;
    headers['content-range'] = `bytes ${start}-${end}/${file.size}`;
    headers['content-length'] = String(end - start + 1);
    return { status: 206, headers, range: range.range };
  }
  headers['content-length'] = String(file.size);
  return { status: 200, headers, range: null };
}
