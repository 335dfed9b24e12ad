// External reference figures: a shell pipeline over the same file, and curl as the client.
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { runChecked } from './run-command';

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Times `cat FILE | tee COPY | openssl dgst -sha256` (copy to disk + sha256, like a publish does). */
export async function referencePipeline(file: string, copy: string): Promise<{ seconds: number; sha256: string }> {
  const script = `set -o pipefail; cat ${shellQuote(file)} | tee ${shellQuote(copy)} | openssl dgst -sha256`;
  try {
    const r = await runChecked('bash', ['-c', script]);
    const m = r.stdout.match(/([0-9a-f]{64})\s*$/);
    if (!m) throw new Error(`unexpected openssl output: ${r.stdout.trim()}`);
    return { seconds: r.seconds, sha256: `sha256:${m[1]}` };
  } finally {
    await rm(copy, { force: true });
  }
}

export function hasCommand(cmd: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** curl's own average download speed (bytes/s) and size for the URL, body discarded. */
export async function curlDownload(url: string, headers: Record<string, string> = {}): Promise<{ bytesPerSecond: number; bytes: number; status: number }> {
  const h = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const r = await runChecked('curl', ['-s', '-o', '/dev/null', ...h, '-w', '%{speed_download} %{size_download} %{http_code}', url]);
  const [speed, size, status] = r.stdout.trim().split(/\s+/).map(Number);
  return { bytesPerSecond: speed, bytes: size, status };
}

export type CurlPublishResult = { seconds: number; status: number; digest: string; size: number; body: string };

/**
 * Publish with `curl -T` and a bearer token (streams the file; little client CPU, so on a 2-core
 * machine the figure is the server's, not the client's). Wall time measured around the whole request.
 */
export async function curlPublish(url: string, file: string, token: string): Promise<CurlPublishResult> {
  const r = await runChecked('curl', ['-s', '-T', file, '-H', 'content-type: application/octet-stream', '-H', `authorization: Bearer ${token}`, '-w', '\n%{http_code}', url]);
  const lines = r.stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  const body = lines.join('\n');
  let parsed: { digest?: string; size?: number } = {};
  try {
    parsed = JSON.parse(body);
  } catch {
    // reported through status/body by the caller
  }
  return { seconds: r.seconds, status, digest: parsed.digest ?? '', size: parsed.size ?? -1, body };
}
