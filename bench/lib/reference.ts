// External reference figures: a shell pipeline over the same file, and curl as a second download client.
import { spawn, spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Times `cat FILE | tee COPY | openssl dgst -sha256` (copy to disk + sha256, like a publish does). */
export async function referencePipeline(file: string, copy: string): Promise<{ seconds: number; sha256: string }> {
  const script = `set -o pipefail; cat ${shellQuote(file)} | tee ${shellQuote(copy)} | openssl dgst -sha256`;
  try {
    const t0 = process.hrtime.bigint();
    const r = await run('bash', ['-c', script]);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.code !== 0) throw new Error(`reference pipeline failed (${r.code}): ${r.stderr.trim()}`);
    const m = r.stdout.match(/([0-9a-f]{64})\s*$/);
    if (!m) throw new Error(`unexpected openssl output: ${r.stdout.trim()}`);
    return { seconds, sha256: `sha256:${m[1]}` };
  } finally {
    await rm(copy, { force: true });
  }
}

export function hasCommand(cmd: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** curl's own average download speed (bytes/s) and size for the URL, body discarded. */
export async function curlDownload(url: string): Promise<{ bytesPerSecond: number; bytes: number; status: number }> {
  const r = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{speed_download} %{size_download} %{http_code}', url]);
  if (r.code !== 0) throw new Error(`curl failed (${r.code}): ${r.stderr.trim()}`);
  const [speed, size, status] = r.stdout.trim().split(/\s+/).map(Number);
  return { bytesPerSecond: speed, bytes: size, status };
}

/**
 * Publish with `curl -T` (streams the file; little client CPU, so on a 2-core machine the figure
 * is the server's, not the client's). Wall time measured around the whole request.
 */
export async function curlPublish(url: string, file: string, token: string): Promise<{ seconds: number; status: number; digest: string; size: number; body: string }> {
  const t0 = process.hrtime.bigint();
  const r = await run('curl', ['-s', '-T', file, '-H', 'content-type: application/octet-stream', '-H', `authorization: Bearer ${token}`, '-w', '\n%{http_code}', url]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.code !== 0) throw new Error(`curl failed (${r.code}): ${r.stderr.trim()}`);
  const lines = r.stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  const body = lines.join('\n');
  let parsed: { digest?: string; size?: number } = {};
  try {
    parsed = JSON.parse(body);
  } catch {
    // reported through status/body by the caller
  }
  return { seconds, status, digest: parsed.digest ?? '', size: parsed.size ?? -1, body };
}
