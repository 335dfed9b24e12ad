import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export type Azurite = {
  port: number;
  /** `http://127.0.0.1:<port>/devstoreaccount1` */
  accountUrl: string;
  connectionString: string;
  /** A container created at start. */
  container: string;
  /** Create another container (empty). */
  createContainer(name: string): Promise<void>;
  stop(): Promise<void>;
  /** Stop the process but keep its files (the endpoint refuses connections until restart()). */
  pause(): Promise<void>;
  /** Start it again on the same port and location, and wait until it answers. */
  restart(): Promise<void>;
};

export function azuriteConnectionString(port: number, key = AZURITE_KEY): string {
  return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${key};BlobEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const AZURITE_BLOB_MAIN = path.join(path.dirname(createRequire(import.meta.url).resolve('azurite/package.json')), 'dist', 'src', 'blob', 'main.js');

function spawnAzurite(location: string, port: number) {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      AZURITE_BLOB_MAIN,
      '--blobHost', '127.0.0.1',
      '--blobPort', String(port),
      '--location', location,
      '--silent',
      '--skipApiVersionCheck',
      '--loose',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const proc = { child, stderr: '', dead: false, exited: new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stderr?.on('data', (d: Buffer) => (proc.stderr = (proc.stderr + d.toString()).slice(-4000)));
  void proc.exited.then(() => (proc.dead = true));
  return proc;
}

/**
 * Azurite's blob service as a child process on loopback (in-memory metadata off: it keeps its
 * files under a temp dir that stop() removes), with one container created.
 */
export async function startAzurite(opts: { container?: string } = {}): Promise<Azurite> {
  const location = await mkdtemp(path.join(os.tmpdir(), 'torsh-azurite-'));
  const port = await freePort();
  let proc = spawnAzurite(location, port);

  const kill = async () => {
    if (!proc.dead) {
      proc.child.kill('SIGTERM');
      const timer = setTimeout(() => proc.child.kill('SIGKILL'), 5_000);
      await proc.exited;
      clearTimeout(timer);
    }
  };
  const stop = async () => {
    await kill();
    await rm(location, { recursive: true, force: true });
  };

  const connectionString = azuriteConnectionString(port);
  const service = BlobServiceClient.fromConnectionString(connectionString, { retryOptions: { maxTries: 1 } });
  const container = opts.container ?? 'torsh-test';
  const ready = async () => {
    // Readiness: poll until the service answers (a start takes well under a second).
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (proc.dead) throw new Error(`azurite exited before answering: ${proc.stderr}`);
      try {
        await service.getContainerClient(container).createIfNotExists();
        break;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`azurite did not answer on port ${port}: ${String(err)} ${proc.stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  try {
    await ready();
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    port,
    accountUrl: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`,
    connectionString,
    container,
    async createContainer(name) {
      await service.getContainerClient(name).createIfNotExists();
    },
    stop,
    pause: kill,
    async restart() {
      await kill();
      proc = spawnAzurite(location, port);
      await ready();
    },
  };
}
