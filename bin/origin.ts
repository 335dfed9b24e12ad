// Entry of the origin process (run by bin/start.mjs through tsx).
import path from 'node:path';
import { defaultDataDir } from '../lib/engine/app-root';
import { startOrigin } from '../lib/server/origin-server';

async function main() {
  const port = Number(process.env.PORT || 3000);
  const hostname = process.env.TORSH_HOST || undefined; // default: every interface
  const dir = path.resolve(__dirname, '..');
  const server = await startOrigin({ dir, port, hostname, dev: process.env.TORSH_DEV === '1' });
  console.log(`> ToRSh Package Hub (origin) on http://${hostname ?? 'localhost'}:${port}, data in ${defaultDataDir()}`);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
