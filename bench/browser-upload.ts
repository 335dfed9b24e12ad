// `npx tsx bench/browser-upload.ts`: publish a 1 GiB package through the Publish page (tus,
// resumable chunks) in Debian's Chromium, and the same-size package with `curl -T` (one PUT), on
// the same server; report MB/s for both and their ratio (target ≥ 0.6). Puts its run first in the
// "Browser upload" section of bench/RESULTS.md. BENCH_BROWSER_MIB=256 for a smaller package;
// --quick: 64 MiB (to bench/out/RESULTS-quick.md).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { adminToken } from './lib/admin-token';
import { logger, MB, secondsSince } from './lib/format';
import { makeModelFile, makePackage, type BenchPackage } from './lib/make-package';
import { curlPublish } from './lib/reference';
import { syncDisks } from './lib/run-command';
import { insertRun, isQuick, resultsFile } from './lib/results-file';
import { startServer, type Server } from './lib/start-server';

const ROOT = path.resolve(__dirname, '..');
const QUICK = isQuick();
const TARGET_RATIO = 0.6;
const WAIT_MS = 15 * 60_000;
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const log = logger('browser-upload');

type BrowserTiming = { total: number; upload: number | null };

/** Sign in, choose the file on /publish, click Publish; time until "Published name@version". */
async function browserPublish(browser: Browser, baseUrl: string, password: string, pkg: BenchPackage): Promise<BrowserTiming> {
  const page = await browser.newPage({ baseURL: baseUrl });
  try {
    await page.goto('/login?next=%2Fpublish');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/publish/);
    await page.getByLabel('Package file').setInputFiles(pkg.file);
    await page.getByRole('heading', { name: `${pkg.name}@${pkg.version}` }).waitFor();
    const t0 = process.hrtime.bigint();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    // Every byte on the server: the page switches to "verifying" while the server publishes.
    const uploaded = page
      .getByText('Upload complete — the server is verifying the package…')
      .waitFor({ timeout: WAIT_MS })
      .then(() => secondsSince(t0))
      .catch(() => null);
    const done = page.getByRole('status').filter({ hasText: `Published ${pkg.name}@${pkg.version}` });
    const failed = page.getByRole('alert').filter({ hasText: 'Publish failed' });
    await done.or(failed).first().waitFor({ timeout: WAIT_MS });
    const total = secondsSince(t0);
    if (!(await done.isVisible())) throw new Error(`the browser publish failed: ${await failed.first().textContent()}`);
    return { total, upload: await Promise.race([uploaded, new Promise<null>((r) => setTimeout(() => r(null), 100))]) };
  } finally {
    await page.close();
  }
}

async function assertPublished(baseUrl: string, pkg: BenchPackage): Promise<void> {
  const res = await fetch(`${baseUrl}/api/v1/packages/${pkg.name}/${pkg.version}`);
  const body = (await res.json()) as { size?: number };
  if (res.status !== 200 || body.size !== pkg.bytes) throw new Error(`${pkg.name}@${pkg.version}: ${res.status}, size ${body.size}, expected ${pkg.bytes}`);
}

const rate = (bytes: number, s: number) => `${(bytes / s / MB).toFixed(0)} MB/s`;

export async function runBrowserUploadBench(): Promise<string> {
  const mib = Number(process.env.BENCH_BROWSER_MIB ?? (QUICK ? '64' : '1024'));
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'torsh-bench-browser-'));
  const password = randomBytes(12).toString('hex');
  const loadBefore = os.loadavg()[0];
  let server: Server | null = null;
  let browser: Browser | null = null;
  try {
    log(`temp dir ${tmp}; ${mib} MiB packages; starting the server…`);
    server = await startServer({ root: ROOT, dataDir: path.join(tmp, 'data'), logFile: path.join(tmp, 'server.log'), env: { TORSH_ADMIN_PASSWORD: password } });
    const model = await makeModelFile(tmp, mib);
    const viaCurl = await makePackage(tmp, mib, '1.0.0', model);
    const viaBrowser = await makePackage(tmp, mib, '1.0.1', model);
    await rm(model, { force: true });
    log(`packages built (${viaCurl.bytes} bytes each)`);

    const token = await adminToken(server.baseUrl, 'bench-browser-upload', password);
    syncDisks();
    const curl = await curlPublish(`${server.baseUrl}/api/v1/packages/${viaCurl.name}/${viaCurl.version}`, viaCurl.file, token);
    if (curl.status !== 201) throw new Error(`curl PUT answered ${curl.status}: ${curl.body.slice(0, 300)}`);
    await assertPublished(server.baseUrl, viaCurl);
    log(`curl -T: ${curl.seconds.toFixed(2)} s, ${rate(viaCurl.bytes, curl.seconds)}`);

    syncDisks();
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const b = await browserPublish(browser, server.baseUrl, password, viaBrowser);
    await assertPublished(server.baseUrl, viaBrowser);
    log(`browser (tus): ${b.total.toFixed(2)} s, ${rate(viaBrowser.bytes, b.total)}${b.upload ? ` (upload ${b.upload.toFixed(2)} s)` : ''}`);

    const ratio = curl.seconds / b.total;
    const rows = [
      `| \`curl -T\` PUT, bearer token (one request, hashed while streaming) | ${curl.seconds.toFixed(2)} s | ${rate(viaCurl.bytes, curl.seconds)} |`,
      `| Chromium, Publish page, tus (click "Publish" → "Published") | ${b.total.toFixed(2)} s | ${rate(viaBrowser.bytes, b.total)} |`,
      ...(b.upload
        ? [
            `| — of which the upload (PATCH chunks until "verifying") | ${b.upload.toFixed(2)} s | ${rate(viaBrowser.bytes, b.upload)} |`,
            `| — of which publishUploadAction (hash, validate, move, register) | ${(b.total - b.upload).toFixed(2)} s | |`,
          ]
        : []),
    ];
    return [
      `### Run ${new Date().toISOString()}${QUICK ? ' (quick)' : ''}`,
      '',
      `\`npx tsx bench/browser-upload.ts\`: one ${mib} MiB package (${viaCurl.bytes} bytes, a stored random model) published`,
      `with \`curl -T\`, then another version of the same size through the Publish page in Chromium`,
      `(\`${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'}\`, headless, signed in, tus chunks to \`/api/v1/uploads\`,`,
      `then the \`publishUploadAction\` server action). Same server (\`node bin/start.mjs\`), loopback; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'};`,
      `1-min load before: ${loadBefore.toFixed(2)}. MB = 10⁶ bytes.`,
      '',
      '| client | time | rate |',
      '|---|---:|---:|',
      ...rows,
      '',
      `**Browser / curl: ${ratio.toFixed(2)}** (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'PASS' : 'MISS'}).`,
      '',
    ].join('\n');
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const section = await runBrowserUploadBench();
  console.log(`\n${section}`);
  const file = resultsFile(QUICK);
  insertRun(file, 'browser-upload', section);
  log(`wrote ${path.relative(ROOT, file)}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`[browser-upload] FAILED: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  });
}
