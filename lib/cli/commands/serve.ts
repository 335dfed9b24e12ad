import { type Command, Option } from 'commander';
import path from 'node:path';
import { note } from '../output';
import { parseSize } from '../parse-size';
import type { RunningRole } from '@/lib/server/roles/role-types';

type ServeFlags = {
  role: 'origin' | 'mirror' | 'edge';
  upstream?: string;
  origin?: string;
  data?: string;
  port: string;
  host?: string;
  cacheSize?: string;
  purgeToken?: string;
  token?: string;
};

function baseUrl(text: string | undefined, flag: string): string {
  if (!text) throw new Error(`${flag} is required for this role`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${flag} must be an http(s) URL, not "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${flag} must be an http(s) URL, not "${text}"`);
  return url.href.replace(/\/+$/, '');
}

function portOf(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, not "${text}"`);
  return port;
}

async function start(flags: ServeFlags): Promise<RunningRole> {
  const port = portOf(flags.port);
  const host = flags.host;
  const dataDir = path.resolve(flags.data ?? process.env.TORSH_DATA_DIR ?? `./data-${flags.role}`);
  switch (flags.role) {
    case 'origin': {
      const { startHeadlessOrigin } = await import('@/lib/server/roles/origin-api-server');
      return startHeadlessOrigin({ port, host, dataDir });
    }
    case 'mirror': {
      const { startMirrorServer } = await import('@/lib/server/roles/mirror-server');
      const token = flags.token ?? process.env.TORSH_TOKEN;
      return startMirrorServer({ port, host, dataDir, upstream: baseUrl(flags.upstream, '--upstream'), token: token || undefined });
    }
    case 'edge': {
      const { startEdgeServer } = await import('@/lib/server/roles/edge-server');
      const purgeToken = flags.purgeToken ?? process.env.TORSH_PURGE_TOKEN;
      return startEdgeServer({
        port,
        host,
        dataDir,
        origin: baseUrl(flags.origin, '--origin'),
        cacheSizeBytes: parseSize(flags.cacheSize ?? '10GB', '--cache-size'),
        purgeToken: purgeToken || undefined,
      });
    }
  }
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run a registry process without the dashboard: a headless origin, a read-only mirror or a pull-through edge cache')
    .addOption(new Option('--role <role>', 'what this process is').choices(['origin', 'mirror', 'edge']).makeOptionMandatory())
    .option('--upstream <url>', 'mirror: the registry to follow (an origin or another mirror)')
    .option('--origin <url>', 'edge: where misses are fetched (an origin or a mirror)')
    .option('--data <dir>', 'data directory (default $TORSH_DATA_DIR, else ./data-<role>)')
    .option('--port <n>', 'port to listen on (0: any free port)', '3000')
    .option('--host <host>', 'address to listen on (default: every interface)')
    .option('--cache-size <size>', 'edge: disk cache limit, e.g. 10GB or 512MiB', '10GB')
    .option('--purge-token <token>', 'edge: token POST /api/v1/cache/purge requires (or TORSH_PURGE_TOKEN)')
    .action(async (flags: ServeFlags) => {
      const running = await start(flags);
      note(`> ToRSh Package Hub (${flags.role}) on ${running.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          running.close().finally(resolve);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}
