// `npm run bench:hf` (part of `npm run bench`): the Hugging Face Hub download API's data path.
// `downloadFile` (@huggingface/hub, the client ML engineers use) of a 1 GiB stored model file through
// `/{ns}/{name}/resolve/{rev}/{path}` (a byte range of the package's blob, served straight from it),
// vs the package download route (`/api/v1/packages/{name}/{version}/download`, the whole blob) read
// by Node's fetch in the same process; curl against both routes shows the server's side without the
// client's. Target: Hub route ≥ 0.9× the package route, and the origin's peak RSS unchanged.
// Process: a headless origin (`torsh serve --role origin`, the same HTTP server and routes as
// `npm start` without Next's pages); the bench process is the client. Rows are interleaved.
// --quick: 64 MiB, 1 run; results to bench/out/RESULTS-quick.md.
// BENCH_HF_MIB=1024  BENCH_REPEAT=3
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { downloadFile } from '@huggingface/hub';
import { adminToken } from './lib/admin-token';
import { fail } from './lib/bench-context';
import { fmt, logger, machineLine, MB, MiB } from './lib/format';
import { makeModelFile, makePackage } from './lib/make-package';
import { RssSampler } from './lib/measure-rss';
import { curlDownload, curlPublish } from './lib/reference';
import { ensureTools } from './lib/required-tools';
import { insertRun, isQuick, resultsFile } from './lib/results-file';
import { syncDisks } from './lib/run-command';
import { killGroup } from './lib/service';
import { startTorshServe } from './lib/start-server';
import { median } from './lib/stats';

const ROOT = path.resolve(__dirname, '..');
const QUICK = isQuick();
const log = logger('bench:hf');
const MIB = Number(process.env.BENCH_HF_MIB ?? (QUICK ? 64 : 1024));
const REPEAT = Number(process.env.BENCH_REPEAT ?? (QUICK ? 1 : 3));

const pids = new Set<number>();
process.on('exit', () => {
  for (const pid of pids) killGroup(pid, 'SIGKILL');
});

/** Reads a web stream to its end without keeping it; the byte count. */
async function drain(body: ReadableStream<Uint8Array> | null): Promise<number> {
  if (!body) return 0;
  const reader = body.getReader();
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    n += value.byteLength;
  }
}

type Row = { label: string; phase: string; bytes: number; run: () => Promise<number>; mbps: number[] };

async function main() {
  await ensureTools(log);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'torsh-bench-hf-'));
  const load = os.loadavg()[0];
  const machine = machineLine(load);
  try {
    const origin = await startTorshServe({
      root: ROOT,
      args: ['--role', 'origin', '--data', path.join(tmp, 'origin')],
      logFile: path.join(tmp, 'origin.log'),
      onSpawn: (pid) => pids.add(pid),
    });
    const token = await adminToken(origin.baseUrl, 'bench');
    log(`building a package with a ${MIB} MiB stored model file`);
    const model = await makeModelFile(tmp, MIB);
    const pkg = await makePackage(tmp, MIB, '1.0.0', model);
    rmSync(model);
    const pub = await curlPublish(`${origin.baseUrl}/api/v1/packages/${pkg.name}/${pkg.version}`, pkg.file, token);
    if (pub.status !== 201) fail(`publishing answered ${pub.status}: ${pub.body}`);
    rmSync(pkg.file);
    syncDisks();

    const modelBytes = MIB * MiB;
    const auth = { authorization: `Bearer ${token}` };
    const packageUrl = `${origin.baseUrl}/api/v1/packages/${pkg.name}/${pkg.version}/download`;
    const resolveUrl = `${origin.baseUrl}/torsh/${pkg.name}/resolve/${pkg.version}/models/model.bin`;
    const hubToken = `hf_${token}`;
    const rows: Row[] = [
      {
        label: 'package download route, Node fetch (reference)',
        phase: 'package-fetch',
        bytes: pkg.bytes,
        mbps: [],
        run: async () => drain((await fetch(packageUrl, { headers: auth })).body),
      },
      {
        label: 'Hub resolve route, `downloadFile` (@huggingface/hub) → `.stream()`',
        phase: 'hub-downloadFile',
        bytes: modelBytes,
        mbps: [],
        run: async () => {
          const blob = await downloadFile({ repo: `torsh/${pkg.name}`, path: 'models/model.bin', revision: pkg.version, hubUrl: origin.baseUrl, accessToken: hubToken });
          if (!blob) fail('downloadFile found no models/model.bin');
          return drain(blob.stream());
        },
      },
      {
        label: 'package download route, curl',
        phase: 'package-curl',
        bytes: pkg.bytes,
        mbps: [],
        run: async () => (await curlDownload(packageUrl, auth)).bytes,
      },
      {
        label: 'Hub resolve route, curl',
        phase: 'hub-curl',
        bytes: modelBytes,
        mbps: [],
        run: async () => (await curlDownload(resolveUrl, auth)).bytes,
      },
    ];

    // Warm the page cache and the Hub's entry list once, untimed.
    await rows[0].run();
    await rows[1].run();
    const rss = new RssSampler(origin.pid, 50);
    rss.start('idle');
    const phasePeaks = new Map<string, number>();
    for (let i = 0; i < REPEAT; i++) {
      for (const row of rows) {
        log(`${row.label}, run ${i + 1} of ${REPEAT}`);
        rss.phase(row.phase);
        const t0 = performance.now();
        const got = await row.run();
        const seconds = (performance.now() - t0) / 1000;
        if (got !== row.bytes) fail(`${row.label}: ${got} of ${row.bytes} bytes`);
        row.mbps.push(row.bytes / MB / seconds);
      }
    }
    const report = rss.stop();
    for (const p of report.phases) phasePeaks.set(p.phase, Math.max(phasePeaks.get(p.phase) ?? 0, p.peakBytes));
    await origin.stop();

    const [refFetch, hubClient, refCurl, hubCurl] = rows.map((r) => median(r.mbps));
    const ratio = hubClient / refFetch;
    const curlRatio = hubCurl / refCurl;
    const peakOf = (phase: string) => (phasePeaks.get(phase) ?? 0) / MiB;
    const refPeak = Math.max(peakOf('package-fetch'), peakOf('package-curl'));
    const hubPeak = Math.max(peakOf('hub-downloadFile'), peakOf('hub-curl'));
    const rssDelta = hubPeak - refPeak;
    const text = [
      `### Run ${new Date().toISOString()}${QUICK ? ' (quick)' : ''}`,
      '',
      `Machine: ${machine}${load > 0.5 ? ' (skewed: load above 0.5 before the run)' : ''}. A headless origin on loopback; the bench process is the client (\`downloadFile\` and fetch), curl a second client; ${REPEAT} runs per row, interleaved, median shown; the origin's RSS sampled every 50 ms.`,
      '',
      `#### ${fmt(MIB)} MiB stored model file (package ${fmt(pkg.bytes)} bytes)`,
      '',
      '| route and client | MB/s (median) | runs | origin peak RSS (MiB) |',
      '|---|---:|---|---:|',
      ...rows.map((r) => `| ${r.label} | ${fmt(median(r.mbps))} | ${r.mbps.map((x) => fmt(x)).join(', ')} | ${fmt(peakOf(r.phase))} |`),
      '',
      `\`downloadFile\` through the Hub route vs the package download route: **${ratio.toFixed(2)}×** (target ≥ 0.9×: ${ratio >= 0.9 ? 'PASS' : 'MISS'}); with curl on both: ${curlRatio.toFixed(2)}×. Origin peak RSS: ${fmt(hubPeak)} MiB serving the Hub route vs ${fmt(refPeak)} MiB serving the package route (${rssDelta >= 0 ? '+' : ''}${fmt(rssDelta)} MiB; ${Math.abs(rssDelta) <= 16 ? 'unchanged within 16 MiB: PASS' : 'changed: MISS'}); ${fmt((report.phases.find((p) => p.phase === 'idle')?.peakBytes ?? 0) / MiB)} MiB after the untimed warm-up downloads.`,
    ].join('\n');
    insertRun(resultsFile(QUICK), 'hf', text);
    log(text);
  } finally {
    for (const pid of pids) killGroup(pid, 'SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  for (const pid of pids) killGroup(pid, 'SIGKILL');
  process.exit(1);
});
