import { and, eq, like } from 'drizzle-orm';
import { packages, versions, type PackageRow, type VersionRow } from '@/db/schema';
import { authorizePackage } from '../access/package-access';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError, isAppError } from '../errors';
import { resolveVersionRow } from '../registry/find-version';

export const DEFAULT_HF_NAMESPACE = 'torsh';

export function hubNamespace(): string {
  return process.env.TORSH_HF_NAMESPACE?.trim() || DEFAULT_HF_NAMESPACE;
}

export type HubRepo = { id: string; namespace: string; name: string; pkg: PackageRow };
export type HubRevision = { row: VersionRow; commit: string };

/** The error names the Hub sends in `X-Error-Code` for a missing repo, revision or file. */
export type HubErrorName = 'RepoNotFound' | 'RevisionNotFound' | 'EntryNotFound';

const repoNotFound = (id: string) => new AppError('PACKAGE_NOT_FOUND', `repository "${id}" not found`, { hub_error: 'RepoNotFound' });

/**
 * The model repo `{ns}/{name}` (ns null: the bare `{name}`) as `viewer` may download it. Another
 * namespace, an unknown package and one the viewer may not see are all RepoNotFound (the Hub
 * answers a private repo as missing); a visible one without Download keeps 401/403.
 */
export function hubRepoFor(engine: Engine, viewer: Actor, ns: string | null, name: string): HubRepo {
  const namespace = hubNamespace();
  const id = ns === null ? name : `${ns}/${name}`;
  if (ns !== null && ns !== namespace) throw repoNotFound(id);
  try {
    authorizePackage(engine, viewer, 'Download', name);
  } catch (err) {
    if (isAppError(err) && (err.code === 'PACKAGE_NOT_FOUND' || err.code === 'INVALID_PACKAGE_NAME')) throw repoNotFound(id);
    throw err;
  }
  const pkg = engine.db.select().from(packages).where(eq(packages.name, name)).get();
  if (!pkg) throw repoNotFound(id);
  return { id: `${namespace}/${name}`, namespace, name, pkg };
}

/** A version's commit id: the first 40 hex digits of its sha256 (stable and unique per version). */
export const commitOf = (row: Pick<VersionRow, 'digest'>) => row.digest.slice(0, 40);

const COMMIT_RE = /^[0-9a-f]{40}$/;
const LATEST_ALIASES = new Set(['main', 'HEAD', 'refs/heads/main']);

/**
 * `rev`: a version, a channel, `latest`, `main` (= latest; also `HEAD`, modelInfo's default in
 * @huggingface/hub, and `refs/heads/main`) or a commit id. Anything else is RevisionNotFound.
 */
export function resolveHubRevision(engine: Engine, repo: HubRepo, rev: string): HubRevision {
  if (COMMIT_RE.test(rev)) {
    const row = engine.db
      .select()
      .from(versions)
      .where(and(eq(versions.packageId, repo.pkg.id), like(versions.digest, `${rev}%`)))
      .get();
    if (row) return { row, commit: commitOf(row) };
  }
  const ref = LATEST_ALIASES.has(rev) ? 'latest' : rev;
  try {
    const { row } = resolveVersionRow(engine, repo.name, ref);
    return { row, commit: commitOf(row) };
  } catch (err) {
    if (isAppError(err) && ['INVALID_VERSION', 'VERSION_NOT_FOUND', 'CHANNEL_NOT_FOUND', 'INVALID_CHANNEL_NAME'].includes(err.code)) {
      throw new AppError('VERSION_NOT_FOUND', `revision "${rev}" not found in ${repo.id}`, { hub_error: 'RevisionNotFound' });
    }
    throw err;
  }
}

export const entryNotFound = (repo: HubRepo, path: string) =>
  new AppError('VERSION_NOT_FOUND', `entry "${path}" not found in ${repo.id}`, { hub_error: 'EntryNotFound' });

/** The Hub error name for an engine error, or null when it is not one of the Hub's 404s. */
export function hubErrorName(err: unknown): HubErrorName | null {
  if (!isAppError(err)) return null;
  const named = err.details?.hub_error;
  if (named === 'RepoNotFound' || named === 'RevisionNotFound' || named === 'EntryNotFound') return named;
  if (err.code === 'PACKAGE_NOT_FOUND') return 'RepoNotFound';
  if (err.code === 'VERSION_NOT_FOUND' || err.code === 'CHANNEL_NOT_FOUND') return 'RevisionNotFound';
  return null;
}
