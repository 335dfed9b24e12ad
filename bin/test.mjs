#!/usr/bin/env node
// `npm test`: the whole suite. Typecheck, unit tests (vitest), production build, then API and
// browser tests (Playwright in Debian's Chromium against `next start` on a temp data dir).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

function run(label, cmd, args, opts = {}) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n✗ ${label} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

function ensureChromium() {
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist`);
    return;
  }
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (existsSync(p)) {
      env.CHROMIUM_PATH = p;
      return;
    }
  }
  if (process.getuid?.() !== 0) {
    console.error('Chromium is missing. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.');
    process.exit(1);
  }
  run('install chromium', 'apt-get', ['update', '-qq']);
  run('install chromium', 'apt-get', ['install', '-y', '-qq', 'chromium'], { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
  env.CHROMIUM_PATH = '/usr/bin/chromium';
}

/** promtool (Debian's prometheus package) parses /metrics in the unit tests. */
function ensurePromtool() {
  if (spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0) return;
  if (process.getuid?.() !== 0) {
    console.error('promtool is missing. Install it (apt-get install -y --no-install-recommends prometheus).');
    process.exit(1);
  }
  run('install promtool', 'apt-get', ['update', '-qq']);
  run('install promtool', 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'prometheus'], { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** nginx (Debian's) runs docs/nginx/torsh-cache.conf in front of an origin in the unit tests. */
function ensureNginx() {
  if (existsSync('/usr/sbin/nginx') || spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0) return;
  if (process.getuid?.() !== 0) {
    console.error('nginx is missing. Install it (apt-get install -y --no-install-recommends nginx).');
    process.exit(1);
  }
  run('install nginx', 'apt-get', ['update', '-qq']);
  run('install nginx', 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'nginx'], { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const only = process.argv[2]; // optional: unit | e2e

ensureChromium();
if (only !== 'e2e') {
  ensurePromtool();
  ensureNginx();
  run('typecheck', bin('tsc'), ['--noEmit']);
  run('unit tests', bin('vitest'), ['run']);
  run('benchmark harness tests', bin('tsx'), ['--test', ...readdirSync(path.join(root, 'bench', 'lib')).filter((f) => f.endsWith('.test.ts')).map((f) => path.join('bench', 'lib', f))]);
}
if (only !== 'unit') {
  run('build', bin('next'), ['build']);
  run('api + browser tests', bin('playwright'), ['test']);
}
console.log('\n✓ all tests passed');
