import type { Engine } from '../engine';
import { AppError } from '../errors';
import type { BlobHold } from '../registry/blob-holds';
import type { ChangeView, ChannelView, PackageView, VersionView } from '../registry/views';
import { fetchBlob } from './fetch-blob';
import { UpstreamError, packagePath, versionPath, type UpstreamClient } from './upstream-client';
import type { KeyRing } from './verify-signature';

export type FetchedVersion = { view: VersionView; hold: BlobHold };

/**
 * What applying one change needs from the upstream, fetched (blobs downloaded and verified)
 * before anything is written: `pkg` null when the package is gone upstream (deleted, or no
 * longer public: a later change in the feed says which).
 */
export type PreparedChange = {
  change: ChangeView;
  pkg: PackageView | null;
  channels: ChannelView[];
  versions: FetchedVersion[];
  /** Versions left out, and why (a bad signature, gone upstream, bytes that never matched). */
  skipped: { version: string; reason: string }[];
};

/** `signal`: aborted when the mirror stops (downloads in flight are cut). */
export type PrepareDeps = { engine: Engine; upstream: UpstreamClient; keys: KeyRing; signal?: AbortSignal };

const DIGEST_ATTEMPTS = 3;

const isGone = (err: unknown) => err instanceof UpstreamError && (err.status === 404 || err.status === 410);

/** A change that removes the package from this mirror (it left public view, or was deleted whole). */
export function removesPackage(change: ChangeView): boolean {
  if (change.kind === 'visibility') return change.data?.to !== 'public';
  return change.kind === 'delete' && change.data?.package_deleted === true;
}

/** Changes that need the upstream's current package (publish, a package turning public, yank, unyank, channel moves). */
function needsPackage(change: ChangeView): boolean {
  if (change.kind === 'delete') return false;
  return !removesPackage(change);
}

async function fetchVersion(deps: PrepareDeps, name: string, version: string): Promise<FetchedVersion | { skipped: string }> {
  let view: VersionView;
  try {
    view = await deps.upstream.json<VersionView>(versionPath(name, version), { signal: deps.signal });
  } catch (err) {
    if (isGone(err)) return { skipped: 'gone upstream' };
    throw err;
  }
  const digest = view.digest.replace(/^sha256:/, '');
  for (let attempt = 1; ; attempt++) {
    try {
      const hold = await fetchBlob(deps.engine, deps.upstream, { name, version: view.version, digest, size: view.size }, deps.signal);
      if (view.signature) {
        // The bytes hash to the digest; the signature must cover that digest with the upstream's key.
        const check = await deps.keys.check(view.signature, digest);
        if (!check.ok) {
          hold.release();
          return { skipped: `signature not verified: ${check.reason}` };
        }
      }
      return { view, hold };
    } catch (err) {
      if (isGone(err)) return { skipped: 'gone upstream' };
      if (err instanceof AppError && err.code === 'DIGEST_MISMATCH' && attempt < DIGEST_ATTEMPTS) continue;
      if (err instanceof AppError && err.code === 'DIGEST_MISMATCH') return { skipped: err.message };
      throw err;
    }
  }
}

/** Fetch what `change` needs. Throws on transient failures (the upstream unreachable): the follower retries. */
export async function prepareChange(deps: PrepareDeps, change: ChangeView): Promise<PreparedChange> {
  const prepared: PreparedChange = { change, pkg: null, channels: [], versions: [], skipped: [] };
  if (!needsPackage(change)) return prepared;
  try {
    prepared.pkg = await deps.upstream.json<PackageView>(packagePath(change.name), { signal: deps.signal });
    prepared.channels = (await deps.upstream.json<{ channels: ChannelView[] }>(`${packagePath(change.name)}/channels`, { signal: deps.signal })).channels;
  } catch (err) {
    if (isGone(err)) return { ...prepared, pkg: null };
    throw err;
  }
  const wanted =
    change.kind === 'publish' && change.version
      ? [change.version]
      : change.kind === 'visibility'
        ? prepared.pkg.versions.map((v) => v.version)
        : [];
  try {
    for (const version of wanted) {
      const got = await fetchVersion(deps, change.name, version);
      if ('skipped' in got) prepared.skipped.push({ version, reason: got.skipped });
      else prepared.versions.push(got);
    }
  } catch (err) {
    releasePrepared(prepared);
    throw err;
  }
  return prepared;
}

export function releasePrepared(p: PreparedChange): void {
  for (const v of p.versions) v.hold.release();
}
