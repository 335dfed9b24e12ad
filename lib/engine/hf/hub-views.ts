import { createHash, type Hash } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { tags } from '@/db/schema';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { downloadTotals } from '../metrics/download-counts';
import { canViewStats } from '../registry/stats-access';
import type { HubEntry, HubLfs } from './hub-entries';
import { entryNotFound, type HubRepo, type HubRevision } from './hub-repo';

export type HubTreeEntry = {
  type: 'file' | 'directory';
  oid: string;
  size: number;
  path: string;
  lfs?: HubLfs;
  lastCommit?: { id: string; title: string; date: string };
};

/** A repo path as a client sends it: relative, `/`-separated, no `..`, `.` or empty segments. */
export function checkHubPath(path: string): string {
  const segments = path.split('/');
  if (path.startsWith('/') || path.includes('\\') || path.includes('\0') || segments.some((s) => s === '..' || s === '.' || s === '')) {
    throw new AppError('INVALID_INPUT', `path ${JSON.stringify(path)} is not a relative repository path`);
  }
  return path;
}

export function findHubEntry(repo: HubRepo, entries: HubEntry[], path: string): HubEntry {
  checkHubPath(path);
  const hit = entries.find((e) => e.path === path);
  if (!hit) throw entryNotFound(repo, path);
  return hit;
}

function lastCommit(repo: HubRepo, rev: HubRevision) {
  return { id: rev.commit, title: `Publish ${repo.name}@${rev.row.version}`, date: new Date(rev.row.publishedAt).toISOString() };
}

function fileView(e: HubEntry): HubTreeEntry {
  return { type: 'file', oid: e.gitOid, size: e.size, path: e.path, ...(e.lfs ? { lfs: e.lfs } : {}) };
}

function directoryView(oids: Map<string, string>, dir: string): HubTreeEntry {
  return { type: 'directory', oid: oids.get(dir)!, size: 0, path: dir };
}

// Entry lists are cached per version (hubEntries), so their directories are worked out once per list.
const directoryCache = new WeakMap<HubEntry[], Map<string, string>>();

/**
 * Every directory of the repo and its synthetic oid (a sha1 over the paths and oids under it), in
 * one pass over the entries: O(entries × depth), not O(entries × directories).
 */
function directoryOids(entries: HubEntry[]): Map<string, string> {
  const cached = directoryCache.get(entries);
  if (cached) return cached;
  const hashes = new Map<string, Hash>();
  for (const e of entries) {
    const parts = e.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      let hash = hashes.get(dir);
      if (!hash) hashes.set(dir, (hash = createHash('sha1').update(`tree ${dir}\0`)));
      hash.update(`${e.path}\0${e.gitOid}\0`);
    }
  }
  const oids = new Map([...hashes].map(([dir, hash]) => [dir, hash.digest('hex')]));
  directoryCache.set(entries, oids);
  return oids;
}

function withCommit(view: HubTreeEntry, expand: boolean, repo: HubRepo, rev: HubRevision): HubTreeEntry {
  return expand ? { ...view, lastCommit: lastCommit(repo, rev) } : view;
}

/**
 * `GET /api/models/{repo}/tree/{rev}/{path}`: the files and directories directly under `path`
 * ('' = the root), or everything under it with `recursive`. A file path lists that file; a path
 * that is neither is EntryNotFound.
 */
export function treeView(
  repo: HubRepo,
  rev: HubRevision,
  entries: HubEntry[],
  path: string,
  opts: { recursive?: boolean; expand?: boolean } = {},
): HubTreeEntry[] {
  const dir = path.replace(/\/+$/, '');
  if (dir !== '') checkHubPath(dir);
  const dirs = directoryOids(entries);
  const file = entries.find((e) => e.path === dir);
  if (file) return [withCommit(fileView(file), !!opts.expand, repo, rev)];
  if (dir !== '' && !dirs.has(dir)) throw entryNotFound(repo, dir);
  const prefix = dir === '' ? '' : `${dir}/`;
  const under = (p: string) => p.startsWith(prefix) && (opts.recursive || !p.slice(prefix.length).includes('/'));
  const out: HubTreeEntry[] = [
    ...[...dirs.keys()].filter(under).map((d) => directoryView(dirs, d)),
    ...entries.filter((e) => under(e.path)).map(fileView),
  ];
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out.map((v) => withCommit(v, !!opts.expand, repo, rev));
}

/** `POST /api/models/{repo}/paths-info/{rev}`: exactly the listed paths that exist (missing ones are left out, as the Hub does). */
export function pathsInfoView(repo: HubRepo, rev: HubRevision, entries: HubEntry[], paths: string[], opts: { expand?: boolean } = {}): HubTreeEntry[] {
  const dirs = directoryOids(entries);
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const out: HubTreeEntry[] = [];
  for (const raw of paths) {
    const path = checkHubPath(raw.replace(/\/+$/, ''));
    const file = byPath.get(path);
    if (file) out.push(withCommit(fileView(file), !!opts.expand, repo, rev));
    else if (dirs.has(path)) out.push(withCommit(directoryView(dirs, path), !!opts.expand, repo, rev));
  }
  return out;
}

export type HubModelInfo = Record<string, unknown> & { _id: string; id: string };

/**
 * `GET /api/models/{repo}[/revision/{rev}]` in the Hub's shape. `expand` (the Hub's `expand[]`
 * parameter) keeps only `_id`, `id` and the named fields; without it every field is sent.
 * Download counts need ViewStats on a non-public package (0 otherwise, as the Hub shows).
 */
export function modelInfoView(
  engine: Engine,
  viewer: Actor,
  repo: HubRepo,
  rev: HubRevision,
  entries: HubEntry[],
  opts: { expand?: string[]; blobs?: boolean } = {},
): HubModelInfo {
  const pkg = repo.pkg;
  const downloads = canViewStats(engine, viewer, pkg) ? downloadTotals(engine, [`p:${pkg.id}`]).get(`p:${pkg.id}`)!.downloads : 0;
  const tagRows = engine.db.select({ tag: tags.tag }).from(tags).where(eq(tags.packageId, pkg.id)).orderBy(asc(tags.id)).all();
  const manifest = JSON.parse(rev.row.manifest) as { description?: string; license?: string };
  const full: Record<string, unknown> = {
    modelId: repo.id,
    author: repo.namespace,
    sha: rev.commit,
    lastModified: new Date(rev.row.publishedAt).toISOString(),
    createdAt: new Date(pkg.createdAt).toISOString(),
    private: pkg.visibility !== 'public',
    disabled: false,
    gated: false,
    downloads,
    likes: 0,
    library_name: 'torsh',
    tags: tagRows.map((t) => t.tag),
    cardData: { license: pkg.license ?? manifest.license ?? null, description: pkg.description ?? manifest.description ?? null },
    usedStorage: rev.row.size,
    siblings: entries.map((e) => ({
      rfilename: e.path,
      size: e.size,
      ...(opts.blobs ? { blobId: e.gitOid, ...(e.lfs ? { lfs: { sha256: e.lfs.oid, size: e.lfs.size, pointerSize: e.lfs.pointerSize } } : {}) } : {}),
    })),
  };
  const picked = opts.expand?.length ? Object.fromEntries(opts.expand.filter((k) => k in full).map((k) => [k, full[k]])) : full;
  return { _id: `${pkg.id}`, id: repo.id, ...picked };
}
