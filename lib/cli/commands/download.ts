import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import semver from 'semver';
import { isValidVersion } from '../../engine/format';
import { verifyDigest } from '../../engine/security/signing';
import { isChannelName } from '../channel-name';
import { withFailoverFlags, type Config, type FailoverFlags } from '../config';
import { describeLocation, downloadFromLocations, fetchLocations, namedLocations, registryLocation, type Failure, type Location } from '../failover';
import { FailoverMemory } from '../failover-memory';
import { configOf, parseSpec } from '../context';
import { CliError, EXIT, NetworkError } from '../exit-codes';
import { fetchPackage, type FetchResult, type FetchTarget } from '../fetch-package';
import { bareDigest } from '../hash-file';
import { enc, requestJson } from '../http-client';
import { note, printJson, say } from '../output';
import { PackageCache } from '../package-cache';
import { formatSize } from '../progress';
import { cleanLine, packageFileIn, registryVersion } from '../sanitize';
import { lookupKey } from '../trust';

type VersionMeta = {
  name: string;
  version: string;
  digest: string;
  size: number;
  yanked: boolean;
  yank_reason?: string | null;
  signature: { key_id: string; value: string; status: string } | null;
};
type PackageMeta = { name: string; latest: string | null; versions: { version: string; digest: string; size: number; yanked: boolean }[] };

const versionPath = (name: string, version: string) => `/api/v1/packages/${enc(name)}/${enc(version)}`;

async function versionMeta(cfg: Config, name: string, version: string): Promise<VersionMeta> {
  return (await requestJson<VersionMeta>(cfg, { method: 'GET', path: versionPath(name, version) })).body;
}

type Resolved = { target: FetchTarget; meta: VersionMeta | null; channel?: string };

function asTarget(name: string, v: { version: unknown; digest: string; size: number }, what: string): FetchTarget {
  const version = registryVersion(v.version, what);
  const digest = bareDigest(v.digest);
  if (!digest) throw new CliError(EXIT.UNAVAILABLE, `the registry gave no usable digest for ${name}@${version}`);
  return { name, version, digest, size: v.size };
}

function warnIfYanked(target: FetchTarget, meta: VersionMeta): void {
  if (meta.yanked) note(`torsh: warning: ${target.name}@${target.version} is yanked${meta.yank_reason ? ` (${cleanLine(meta.yank_reason)})` : ''}\n`);
}

/**
 * Turns name@selector into one exact version: an exact version (yanked allowed, with a warning),
 * a semver range or latest (yanked skipped), or a channel the registry resolves. Every version
 * the registry names is checked before it is used (it ends up in a file name).
 */
async function resolve(cfg: Config, name: string, selector: string, needMeta: boolean): Promise<Resolved> {
  if (isValidVersion(selector)) {
    const meta = await versionMeta(cfg, name, selector);
    const target = asTarget(name, meta, `${name}@${selector}`);
    if (target.version !== selector) throw new CliError(EXIT.INTEGRITY, `asked for ${name}@${selector}, the registry answered ${name}@${target.version}`);
    warnIfYanked(target, meta);
    return { target, meta };
  }
  if (selector !== 'latest' && semver.validRange(selector) === null) {
    if (!isChannelName(selector)) throw new CliError(EXIT.USAGE, `${JSON.stringify(selector)} is neither a version, a semver range, a channel name nor "latest"`);
    // The channel's version, then that exact version: cache, resume and --verify work as for any other.
    const meta = await versionMeta(cfg, name, selector);
    const target = asTarget(name, meta, `channel ${selector} of ${name}`);
    warnIfYanked(target, meta);
    return { target, meta, channel: selector };
  }
  const pkg = (await requestJson<PackageMeta>(cfg, { method: 'GET', path: `/api/v1/packages/${enc(name)}` })).body;
  const available = pkg.versions.filter((v) => !v.yanked && isValidVersion(v.version)).map((v) => v.version);
  const chosen = selector === 'latest' ? pkg.latest : semver.maxSatisfying(available, selector);
  if (!chosen) {
    throw new CliError(EXIT.NOT_FOUND, selector === 'latest' ? `${name} has no version that is not yanked` : `no version of ${name} that is not yanked matches ${selector}`);
  }
  const entry = pkg.versions.find((v) => v.version === chosen);
  if (!entry) throw new CliError(EXIT.UNAVAILABLE, `the registry lists ${name}@${cleanLine(chosen)} as latest but not among its versions`);
  const target = asTarget(name, entry, `${name}@${selector}`);
  const meta = needMeta ? await versionMeta(cfg, name, target.version) : null;
  if (meta && bareDigest(meta.digest) !== target.digest) {
    throw new CliError(EXIT.INTEGRITY, `the registry reports two digests for ${name}@${target.version}`);
  }
  return { target, meta };
}

/** The signature check of --verify, done on the metadata before any byte is fetched. */
async function verifySignature(cfg: Config, target: FetchTarget, meta: VersionMeta): Promise<string> {
  const label = `${target.name}@${target.version}`;
  const fail = (why: string) => new CliError(EXIT.INTEGRITY, `${label}: ${why}; nothing was downloaded`);
  const sig = meta.signature;
  if (!sig) throw fail('it is not signed');
  const keyId = cleanLine(String(sig.key_id));
  const found = await lookupKey(cfg, sig.key_id, { registry: true });
  if (found.status === 'unknown') throw fail(`it is signed with key ${keyId}, which is neither one of the registry's keys nor in ${cfg.trustFile}`);
  const owner = found.key.owner ? ` (${cleanLine(found.key.owner)})` : '';
  if (found.status === 'revoked') throw fail(`it is signed with key ${keyId}${owner}, which has been revoked`);
  if (!verifyDigest(found.key.public_key, target.digest, sig.value)) throw fail(`its signature does not verify with key ${keyId}`);
  return `signature ok: key ${keyId}${owner}, trusted via the ${found.source === 'local' ? 'local trust file' : 'registry'}`;
}

async function outputPath(output: string | undefined, name: string, version: string): Promise<string> {
  if (!output) return packageFileIn('.', name, version);
  const isDir = output.endsWith('/') || (await stat(output).then((s) => s.isDirectory(), () => false));
  return isDir ? packageFileIn(output, name, version) : path.resolve(output);
}

type Fetched = FetchResult & { source: Location | null; failures: Failure[]; located: boolean };

/**
 * The bytes: from the local cache, else from the locations the registry names (mirrors, edges,
 * the origin) with failover, else — failover off, or a registry without the locations route —
 * from the registry's own download route as before.
 */
async function fetchWithFailover(cfg: Config, flags: FailoverFlags, target: FetchTarget, out: string, cache: PackageCache | null): Promise<Fetched> {
  const fo = withFailoverFlags(cfg.failover, flags);
  const cached = cache ? await cache.find(target.digest) : null;
  const located = fo.enabled && !cached ? await fetchLocations(cfg, fo, target) : null;
  const locations = located ? namedLocations(cfg, target, located) : [];
  if (locations.length === 0) {
    // No mirror or edge holds it (or no locations route): the registry's own download, as always.
    const result = await fetchPackage(cfg, target, out, cache);
    return { ...result, source: result.fromCache ? null : registryLocation(cfg, target), failures: [], located: false };
  }
  const memory = fo.failback ? null : new FailoverMemory(cfg.cacheDir);
  return { ...(await downloadFromLocations(cfg, fo, target, locations, out, { cache, memory })), located: true };
}

export function registerDownload(program: Command): void {
  program
    .command('download')
    .description('download a package version (resumable, verified against its sha256; cached locally)')
    .argument('<spec>', 'name@version, name@<semver range>, name@latest or name@<channel>')
    .option('-o, --output <path>', 'file or directory to write to (default: ./<name>-<version>.torshpkg)')
    .option('--verify', "also check the package's Ed25519 signature against trusted keys")
    .option('--no-cache', 'neither use nor fill the local cache')
    .option('--json', 'print the result as JSON (with the source that served)')
    .option('--no-failover', "download from the registry only; do not ask it for mirrors and edges (failover.enabled)")
    .option('--region <region>', 'ask the registry for locations ordered for this region (failover.region, TORSH_REGION)')
    .option('--attempt-timeout <ms>', 'per location: time to connect and answer, and the longest silence in the body (failover.attempt_timeout_ms)')
    .option('--max-retries <n>', 'retries of one location after a 5xx or a dropped connection before failing over (failover.max_retries)')
    .option('--retry-delay <ms>', 'wait between those retries (failover.retry_delay_ms)')
    .option('--no-failback', 'keep later downloads away from a location that failed until it serves again (failover.failback)')
    .addHelpText(
      'after',
      `
Failover: the CLI asks the registry for the version's locations (healthy mirrors and edges that
hold it, then the origin) and tries them in order; every copy is checked against the sha256 the
registry reports, and a location that fails, stalls or sends other bytes is skipped for the next.
stderr names the source ("served by URL (mirror eu-west)"), --json has it as "source".
Config file "failover": {enabled, max_retries, retry_delay_ms, failback, attempt_timeout_ms, region};
environment TORSH_FAILOVER, TORSH_FAILOVER_MAX_RETRIES, TORSH_FAILOVER_RETRY_DELAY_MS, TORSH_FAILBACK,
TORSH_FAILOVER_ATTEMPT_TIMEOUT_MS, TORSH_REGION. Defaults: enabled, 3 retries 1000 ms apart,
fail-back on, 10000 ms per attempt.`,
    )
    .action(async (spec: string, opts: FailoverFlags & { output?: string; verify?: boolean; cache: boolean; json?: boolean }, cmd: Command) => {
      const cfg = await configOf(cmd);
      const { name, selector } = parseSpec(spec);
      const cache = opts.cache ? new PackageCache(cfg.cacheDir, cfg.cacheMaxBytes) : null;
      let resolved: Resolved;
      try {
        resolved = await resolve(cfg, name, selector, Boolean(opts.verify));
      } catch (err) {
        // Versions are immutable: with the registry unreachable, a cached exact version is still the right bytes.
        const cached = err instanceof NetworkError && cache && !opts.verify && isValidVersion(selector) ? await cache.entry(`${name}@${selector}`) : null;
        if (!cached) throw err;
        note(`torsh: warning: ${(err as Error).message}; using the cached copy of ${name}@${selector}\n`);
        resolved = { target: { name, version: selector, digest: cached.digest, size: cached.size }, meta: null };
      }
      const { target, meta, channel } = resolved;
      const signatureNote = opts.verify && meta ? await verifySignature(cfg, target, meta) : null;
      const out = await outputPath(opts.output, target.name, target.version);
      const result = await fetchWithFailover(cfg, opts, target, out, cache);
      if (opts.json) {
        return printJson({
          name,
          version: target.version,
          channel,
          path: result.path,
          digest: `sha256:${result.digest}`,
          size: result.size,
          from_cache: result.fromCache,
          resumed: result.resumed,
          source: result.source ? { url: result.source.url, kind: result.source.kind, id: result.source.id ?? null, region: result.source.region ?? null } : null,
          failed_over: result.located ? result.failures : undefined,
          signature: signatureNote ? meta!.signature : undefined,
        });
      }
      if (signatureNote) note(`${signatureNote}\n`);
      if (result.located && result.source) note(`served by ${describeLocation(result.source)}\n`);
      note(`downloaded ${name}@${target.version}${channel ? ` (channel ${channel})` : ''} (${formatSize(result.size)}${result.fromCache ? ', from the cache' : ''}), sha256 verified\n`);
      say(`${result.digest}  ${result.path}\n`);
    });
}
