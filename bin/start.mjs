#!/usr/bin/env node
// `npm start`: build when the build is missing or older than the sources, then run the origin
// (bin/origin.ts: Next.js plus the byte-moving routes on node:http) on PORT (default 3000) with
// TORSH_DATA_DIR (default <install>/data). Migrations are applied at start. TORSH_DEV=1 runs
// Next in development mode (no build) behind the same origin server (`npm run dev`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const SOURCES = ['app', 'components', 'lib', 'db', 'public', 'next.config.mjs', 'package.json', 'postcss.config.mjs'];

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  return newest;
}

function buildIsStale() {
  const stamp = path.join(root, '.next', 'BUILD_ID');
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

process.env.TORSH_APP_ROOT = root; // where db/migrations and the default ./data live, whatever the working directory
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const dev = process.env.TORSH_DEV === '1';
if (!dev && process.env.TORSH_SKIP_BUILD !== '1' && buildIsStale()) {
  console.log('> building the app (first start, or sources changed)…');
  const r = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// Run the origin in this process (one process, not a wrapper plus a child): tsx compiles the
// TypeScript entry on the fly, as `node --import tsx bin/origin.ts` would.
process.env.NODE_ENV ??= dev ? 'development' : 'production';
process.env.NEXT_TELEMETRY_DISABLED = '1';
// The `@/` imports resolve through the install's tsconfig, whatever the working directory.
process.env.TSX_TSCONFIG_PATH ??= path.join(root, 'tsconfig.json');
const { register: registerCjs } = await import('tsx/cjs/api');
const { register: registerEsm } = await import('tsx/esm/api');
registerCjs();
registerEsm();
await import(pathToFileURL(path.join(root, 'bin', 'origin.ts')).href);
