import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import semver from 'semver';
import { isValidVersion } from '../../engine/format';
import { verifyDigest } from '../../engine/security/signing';
import type { Config } from '../config';
import { configOf, parseSpec, printJson } from '../context';
import { CliError, EXIT, NetworkError } from '../exit-codes';
import { fetchPackage, type FetchTarget } from '../fetch-package';
import { bareDigest } from '../hash-file';
import { enc, requestJson } from '../http-client';
import { PackageCache } from '../package-cache';
import { formatSize } from '../progress';
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

/** Turns name@selector into one version: exact (yanked allowed, with a warning), a semver range or latest (yanked skipped). */
async function resolve(cfg: Config, name: string, selector: string, needMeta: boolean): Promise<{ target: FetchTarget; meta: VersionMeta | null }> {
  const asTarget = (v: { version: string; digest: string; size: number }) => {
    const digest = bareDigest(v.digest);
    if (!digest) throw new CliError(EXIT.UNAVAILABLE, `the registry gave no usable digest for ${name}@${v.version}`);
    return { name, version: v.version, digest, size: v.size };
  };
  if (isValidVersion(selector)) {
    const meta = await versionMeta(cfg, name, selector);
    if (meta.yanked) process.stderr.write(`torsh: warning: ${name}@${selector} is yanked${meta.yank_reason ? ` (${meta.yank_reason})` : ''}\n`);
    return { target: asTarget(meta), meta };
  }
  if (selector !== 'latest' && semver.validRange(selector) === null) {
    throw new CliError(EXIT.USAGE, `${JSON.stringify(selector)} is neither a version, a semver range nor "latest"`);
  }
  const pkg = (await requestJson<PackageMeta>(cfg, { method: 'GET', path: `/api/v1/packages/${enc(name)}` })).body;
  const available = pkg.versions.filter((v) => !v.yanked).map((v) => v.version);
  const chosen = selector === 'latest' ? pkg.latest : semver.maxSatisfying(available, selector);
  if (!chosen) {
    throw new CliError(EXIT.NOT_FOUND, selector === 'latest' ? `${name} has no version that is not yanked` : `no version of ${name} that is not yanked matches ${selector}`);
  }
  const entry = pkg.versions.find((v) => v.version === chosen);
  if (!entry) throw new CliError(EXIT.UNAVAILABLE, `the registry lists ${name}@${chosen} as latest but not among its versions`);
  const meta = needMeta ? await versionMeta(cfg, name, chosen) : null;
  if (meta && bareDigest(meta.digest) !== bareDigest(entry.digest)) {
    throw new CliError(EXIT.INTEGRITY, `the registry reports two digests for ${name}@${chosen}`);
  }
  return { target: asTarget(entry), meta };
}

/** The signature check of --verify, done on the metadata before any byte is fetched. */
async function verifySignature(cfg: Config, target: FetchTarget, meta: VersionMeta): Promise<string> {
  const label = `${target.name}@${target.version}`;
  const fail = (why: string) => new CliError(EXIT.INTEGRITY, `${label}: ${why}; nothing was downloaded`);
  const sig = meta.signature;
  if (!sig) throw fail('it is not signed');
  const found = await lookupKey(cfg, sig.key_id, { registry: true });
  if (found.status === 'unknown') throw fail(`it is signed with key ${sig.key_id}, which is neither one of the registry's keys nor in ${cfg.trustFile}`);
  if (found.status === 'revoked') throw fail(`it is signed with key ${sig.key_id}${found.key.owner ? ` (${found.key.owner})` : ''}, which has been revoked`);
  if (!verifyDigest(found.key.public_key, target.digest, sig.value)) throw fail(`its signature does not verify with key ${sig.key_id}`);
  return `signature ok: key ${sig.key_id}${found.key.owner ? ` (${found.key.owner})` : ''}, trusted via the ${found.source === 'local' ? 'local trust file' : 'registry'}`;
}

async function outputPath(output: string | undefined, name: string, version: string): Promise<string> {
  const fileName = `${name}-${version}.torshpkg`;
  if (!output) return path.resolve(fileName);
  const isDir = output.endsWith('/') || (await stat(output).then((s) => s.isDirectory(), () => false));
  return path.resolve(isDir ? path.join(output, fileName) : output);
}

export function registerDownload(program: Command): void {
  program
    .command('download')
    .description('download a package version (resumable, verified against its sha256; cached locally)')
    .argument('<spec>', 'name@version, name@<semver range> or name@latest')
    .option('-o, --output <path>', 'file or directory to write to (default: ./<name>-<version>.torshpkg)')
    .option('--verify', "also check the package's Ed25519 signature against trusted keys")
    .option('--no-cache', 'neither use nor fill the local cache')
    .option('--json', 'print the result as JSON')
    .action(async (spec: string, opts: { output?: string; verify?: boolean; cache: boolean; json?: boolean }, cmd: Command) => {
      const cfg = await configOf(cmd);
      const { name, selector } = parseSpec(spec);
      const cache = opts.cache ? new PackageCache(cfg.cacheDir, cfg.cacheMaxBytes) : null;
      let resolved: { target: FetchTarget; meta: VersionMeta | null };
      try {
        resolved = await resolve(cfg, name, selector, Boolean(opts.verify));
      } catch (err) {
        // Versions are immutable: with the registry unreachable, a cached exact version is still the right bytes.
        const cached = err instanceof NetworkError && cache && !opts.verify ? await cache.entry(`${name}@${selector}`) : null;
        if (!cached) throw err;
        process.stderr.write(`torsh: warning: ${(err as Error).message}; using the cached copy of ${name}@${selector}\n`);
        resolved = { target: { name, version: selector, digest: cached.digest, size: cached.size }, meta: null };
      }
      const { target, meta } = resolved;
      const signatureNote = opts.verify && meta ? await verifySignature(cfg, target, meta) : null;
      const out = await outputPath(opts.output, target.name, target.version);
      const result = await fetchPackage(cfg, target, out, cache);
      if (opts.json) {
        return printJson({ name, version: target.version, path: result.path, digest: `sha256:${result.digest}`, size: result.size, from_cache: result.fromCache, resumed: result.resumed, signature: signatureNote ? meta!.signature : undefined });
      }
      if (signatureNote) process.stderr.write(`${signatureNote}\n`);
      process.stderr.write(`downloaded ${name}@${target.version} (${formatSize(result.size)}${result.fromCache ? ', from the cache' : ''}), sha256 verified\n`);
      process.stdout.write(`${result.digest}  ${result.path}\n`);
    });
}
