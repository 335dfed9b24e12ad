import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { listenOnLoopback } from '../../lib/cli/test-support/loopback';
import { runTorsh, type CliResult, type SpawnOptions } from '../../lib/cli/test-support/run-torsh';

export { cliHome, removeHomes, type CliResult } from '../../lib/cli/test-support/run-torsh';

export type RunOptions = SpawnOptions & {
  /** Registry URL (default: the e2e server); null: no --registry flag. */
  registry?: string | null;
  /** Bearer token; null/undefined: none. */
  token?: string | null;
};

/** Runs `node bin/torsh.mjs <args> --registry … --token …` and collects its output and exit code. */
export function torsh(args: string[], opts: RunOptions): Promise<CliResult> {
  const registry = opts.registry === undefined ? process.env.E2E_BASE_URL! : opts.registry;
  return runTorsh([...args, ...(registry ? ['--registry', registry] : []), ...(opts.token ? ['--token', opts.token] : [])], opts);
}

export const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

export type SeenRequest = { method: string; url: string; headers: http.IncomingHttpHeaders };

export type Proxy = { url: string; requests: SeenRequest[]; close: () => Promise<void> };

/**
 * A tiny HTTP proxy in front of the e2e server. `intercept` may answer a request itself (return
 * true); else it is forwarded, and `cutAfter(req)` may return a byte count after which the
 * response's connection is destroyed.
 */
export async function startProxy(opts: {
  intercept?: (req: http.IncomingMessage, res: http.ServerResponse, index: number) => boolean;
  cutAfter?: (req: http.IncomingMessage, index: number) => number | null;
}): Promise<Proxy> {
  const target = new URL(process.env.E2E_BASE_URL!);
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const index = requests.length;
    requests.push({ method: req.method!, url: req.url!, headers: req.headers });
    if (opts.intercept?.(req, res, index)) return;
    const cut = opts.cutAfter?.(req, index) ?? null;
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (up) => {
        res.writeHead(up.statusCode!, up.headers);
        if (cut === null) {
          up.pipe(res);
          return;
        }
        let sent = 0;
        up.on('data', (chunk: Buffer) => {
          if (sent >= cut) return;
          const part = chunk.subarray(0, cut - sent);
          sent += part.length;
          res.write(part);
          if (sent >= cut) {
            up.destroy();
            // Let the bytes leave, then drop the connection mid-body.
            setTimeout(() => res.socket?.destroy(), 50);
          }
        });
        up.on('end', () => res.end());
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return { ...(await listenOnLoopback(server)), requests };
}

/** A directory `torsh pack` accepts: manifest.json, a random model of `kib` KiB, a config. */
export function packageDir(parent: string, name: string, version: string, kib = 64, extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(path.join(parent, `${name}-${version}-`));
  mkdirSync(path.join(dir, 'models'));
  mkdirSync(path.join(dir, 'config'));
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ name, version, description: `${name} from the CLI e2e`, author: 'e2e', license: 'MIT', ...extra }));
  writeFileSync(path.join(dir, 'models', 'model.bin'), randomBytes(kib * 1024));
  writeFileSync(path.join(dir, 'models', 'model.bin.metadata'), JSON.stringify({ framework: 'torch' }));
  writeFileSync(path.join(dir, 'config', 'config.json'), JSON.stringify({ layers: 2 }));
  return dir;
}
