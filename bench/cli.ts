// `npx tsx bench/cli.ts`: times the torsh CLI (publish, download) on a 1 GiB package against the
// real server and puts its run first in the "CLI" section of bench/RESULTS.md.
// --quick: a 64 MiB package (to bench/out/RESULTS-quick.md). BENCH_CLI_MIB=n: model size in MiB.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { adminToken } from './lib/admin-token';
import { logger, MB } from './lib/format';
import { download as rawDownload } from './lib/http-client';
import { makeModelFile, makePackage } from './lib/make-package';
import { referencePipeline } from './lib/reference';
import { insertRun, isQuick, resultsFile } from './lib/results-file';
import { runCommand, syncDisks } from './lib/run-command';
import { killGroup } from './lib/service';
import { startServer, type Server } from './lib/start-server';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'torsh.mjs');
const QUICK = isQuick();
const ADMIN_PASSWORD = 'bench-admin-password-cli';
const log = logger('bench-cli');


type Timed = { seconds: number; peakRssBytes: number; stdout: string; stderr: string };

/** Runs the CLI under /usr/bin/time (peak RSS of the node process) and times it. */
async function torsh(args: string[], env: NodeJS.ProcessEnv): Promise<Timed> {
  const r = await runCommand('/usr/bin/time', ['-f', 'TORSH_BENCH_MAXRSS_KB=%M', process.execPath, BIN, ...args], { cwd: ROOT, env });
  const m = /TORSH_BENCH_MAXRSS_KB=(\d+)/.exec(r.stderr);
  const stderr = r.stderr.replace(/.*TORSH_BENCH_MAXRSS_KB=\d+\n?/, '');
  if (r.code !== 0) throw new Error(`torsh ${args[0]} exited with ${r.code}: ${stderr.trim()}`);
  return { seconds: r.seconds, peakRssBytes: m ? Number(m[1]) * 1024 : 0, stdout: r.stdout, stderr };
}

const mbps = (bytes: number, seconds: number) => (bytes / seconds / MB).toFixed(0);
const secs = (s: number) => s.toFixed(2);
const mem = (b: number) => `${(b / MB).toFixed(0)} MB`;

export async function runCliBench(): Promise<string> {
  const mib = Number(process.env.BENCH_CLI_MIB ?? (QUICK ? '64' : '1024'));
  if (!Number.isInteger(mib) || mib <= 0) throw new Error('BENCH_CLI_MIB must be a positive integer');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'torsh-bench-cli-'));
  const dataDir = path.join(tmp, 'data');
  const pkgDir = path.join(tmp, 'packages');
  const home = path.join(tmp, 'home');
  for (const d of [dataDir, pkgDir, home]) mkdirSync(d);
  let server: Server | null = null;
  let serverPid: number | null = null;
  const onSignal = () => {
    if (serverPid !== null) killGroup(serverPid, 'SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    log('starting the server (node bin/start.mjs; builds first if stale)…');
    server = await startServer({
      root: ROOT,
      dataDir,
      logFile: path.join(tmp, 'server.log'),
      onSpawn: (pid) => (serverPid = pid),
      env: { TORSH_ADMIN_PASSWORD: ADMIN_PASSWORD },
    });
    log(`server healthy on ${server.baseUrl}`);
    const token = await adminToken(server.baseUrl, 'bench-cli', ADMIN_PASSWORD);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOME: home,
      TORSH_CONFIG: path.join(tmp, 'config.json'),
      TORSH_CACHE_DIR: path.join(tmp, 'cache'),
      TORSH_TRUST_FILE: path.join(tmp, 'trusted_keys.json'),
      TORSH_REGISTRY: server.baseUrl,
      TORSH_TOKEN: token,
    };

    const model = await makeModelFile(pkgDir, mib);
    const pkg = await makePackage(pkgDir, mib, '1.0.0', model);
    await rm(model, { force: true });
    log(`${pkg.name}@${pkg.version}: ${pkg.bytes} bytes`);
    const label = `${pkg.name}@${pkg.version}`;

    const startup = await torsh(['--version'], env);
    syncDisks();
    const reference = await referencePipeline(pkg.file, path.join(pkgDir, 'reference-copy.bin'));
    syncDisks();
    const inspect = await torsh(['inspect', pkg.file], env);
    log(`inspect (local validation) ${secs(inspect.seconds)} s`);
    syncDisks();
    const publish = await torsh(['publish', pkg.file, '--json'], env);
    const published = JSON.parse(publish.stdout) as { digest: string; size: number };
    if (published.digest !== reference.sha256) throw new Error(`publish digest ${published.digest} differs from the file's ${reference.sha256}`);
    log(`publish ${secs(publish.seconds)} s (${mbps(pkg.bytes, publish.seconds)} MB/s)`);
    syncDisks();

    const check = (t: Timed, what: string) => {
      const r = JSON.parse(t.stdout) as { digest: string; size: number; from_cache: boolean };
      if (r.digest !== published.digest || r.size !== pkg.bytes) throw new Error(`${what}: got ${r.digest} (${r.size} bytes)`);
      return r;
    };
    const out = path.join(pkgDir, 'downloaded.torshpkg');
    const cold = await torsh(['download', label, '-o', out, '--json'], env);
    if (check(cold, 'cold download').from_cache) throw new Error('the first download came from the cache');
    log(`download (cold, fills the cache) ${secs(cold.seconds)} s (${mbps(pkg.bytes, cold.seconds)} MB/s)`);
    await rm(out, { force: true });
    syncDisks();
    const cached = await torsh(['download', label, '-o', out, '--json'], env);
    if (!check(cached, 'cached download').from_cache) throw new Error('the second download did not come from the cache');
    log(`download (cache hit) ${secs(cached.seconds)} s`);
    await rm(out, { force: true });
    syncDisks();
    const noCache = await torsh(['download', label, '-o', out, '--no-cache', '--json'], env);
    check(noCache, 'download --no-cache');
    log(`download --no-cache ${secs(noCache.seconds)} s (${mbps(pkg.bytes, noCache.seconds)} MB/s)`);
    await rm(out, { force: true });
    syncDisks();
    const raw = await rawDownload(server.baseUrl, pkg.name, pkg.version, false);
    if (raw.status !== 200 || raw.bytes !== pkg.bytes) throw new Error(`raw download: ${raw.status}, ${raw.bytes} bytes`);

    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const row = (what: string, t: Timed, note: string) =>
      `| ${what} | ${secs(t.seconds)} s | ${mbps(pkg.bytes, t.seconds)} | ${mem(t.peakRssBytes)} | ${note} |`;
    return [
      `### Run ${new Date().toISOString()}${QUICK ? ' (quick)' : ''}`,
      '',
      `\`npx tsx bench/cli.ts\`: the \`torsh\` CLI as a user runs it (\`node bin/torsh.mjs …\`, a new process per`,
      `command, wall time including its ${secs(startup.seconds)} s start-up) against the real server on loopback, one`,
      `${(pkg.bytes / 1024 ** 3).toFixed(2)} GiB package (${mib} MiB random model, stored). MB = 10⁶ bytes. Machine: ${cpu}, ${os.cpus().length} cores,`,
      `Node ${process.version}, Linux ${execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim()}; 1-min load before: ${os.loadavg()[0].toFixed(2)}.`,
      '',
      '| step | wall time | MB/s | CLI peak RSS | what it does |',
      '|---|---|---|---|---|',
      row('`torsh inspect`', inspect, 'the local validation publish starts with (readPackage: every entry hashed)'),
      row('`torsh publish`', publish, 'validation, then a streamed PUT hashed on the way; the server stores + validates'),
      row('`torsh download` (cold)', cold, 'GET metadata, stream to .partial with sha256, rename, hard-link into the cache'),
      row('`torsh download` (cached)', cached, 'copy from the cache, re-hashed'),
      row('`torsh download --no-cache`', noCache, 'as cold, without the cache'),
      `| reference: cat \\| tee \\| openssl sha256 | ${secs(reference.seconds)} s | ${mbps(pkg.bytes, reference.seconds)} | | the disk + hash work of a publish |`,
      `| reference: node:http GET, bytes discarded | ${secs(raw.seconds)} s | ${mbps(pkg.bytes, raw.seconds)} | | bench/lib/http-client.ts |`,
      '',
    ].join('\n');
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (server) await server.stop();
    else if (serverPid !== null) killGroup(serverPid, 'SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  try {
    const section = await runCliBench();
    console.log(`\n${section}`);
    const file = resultsFile(QUICK);
    insertRun(file, 'cli', section);
    log(`wrote ${path.relative(ROOT, file)}`);
    return 0;
  } catch (err) {
    console.error(`[bench-cli] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
