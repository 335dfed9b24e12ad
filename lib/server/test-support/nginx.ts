import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** The template docs/DEPLOY.md shows; the test runs this very file. */
export const NGINX_TEMPLATE = path.join(ROOT, 'docs', 'nginx', 'torsh-cache.conf');

/**
 * Debian's nginx (package `nginx`; .ci/run and bin/test.mjs install it). A missing nginx fails
 * the test: the cache behaviour is checked with the real server or not at all.
 */
export function nginxBinary(): string {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(p)) return p;
  if (spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0) return 'nginx';
  throw new Error('nginx is not installed: `apt-get install -y nginx` (Debian) provides it; .ci/run and bin/test.mjs install it');
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export type Nginx = { url: string; port: number; prefix: string; log(): Promise<string>; stop(): Promise<void> };

/** The template with its placeholders filled in. */
export async function renderTemplate(values: { listen: string; origin: string; cacheDir: string }): Promise<string> {
  const text = await readFile(NGINX_TEMPLATE, 'utf8');
  return text.replaceAll('@LISTEN@', values.listen).replaceAll('@ORIGIN@', values.origin).replaceAll('@CACHE_DIR@', values.cacheDir);
}

/**
 * Debian's nginx on a loopback port with a temp prefix, running docs/nginx/torsh-cache.conf in a
 * minimal main config (its own pid, logs and temp paths), in front of `origin` (host:port).
 */
export async function startNginx(origin: string, timeoutMs = 15_000): Promise<Nginx> {
  const bin = nginxBinary();
  const prefix = await mkdtemp(path.join(os.tmpdir(), 'torsh-nginx-'));
  await chmod(prefix, 0o755);
  const cacheDir = path.join(prefix, 'cache');
  await mkdir(cacheDir);
  const port = await freePort();
  await writeFile(path.join(prefix, 'torsh-cache.conf'), await renderTemplate({ listen: `127.0.0.1:${port}`, origin, cacheDir }));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${path.join(prefix, `${t}_temp`)};`).join('\n');
  const main = `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
pid ${path.join(prefix, 'nginx.pid')};
error_log ${path.join(prefix, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
${temp}
  include ${path.join(prefix, 'torsh-cache.conf')};
}
`;
  await writeFile(path.join(prefix, 'nginx.conf'), main);
  const conf = path.join(prefix, 'nginx.conf');
  const args = ['-p', prefix, '-c', conf, '-e', path.join(prefix, 'error.log'), '-g', 'daemon off;'];
  const check = spawnSync(bin, ['-t', ...args], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t rejects the configuration:\n${check.stderr}`);
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const log = async () => `${out}${await readFile(path.join(prefix, 'error.log'), 'utf8').catch(() => '')}`;
  const deadline = Date.now() + timeoutMs;
  // Readiness: the port accepts connections (nginx prints nothing when it starts).
  while (!(await accepts(port))) {
    if (proc.exitCode !== null) throw new Error(`nginx exited (${proc.exitCode}):\n${await log()}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`nginx did not listen on ${port} in ${timeoutMs} ms:\n${await log()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    prefix,
    log,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
      await rm(prefix, { recursive: true, force: true });
    },
  };
}
