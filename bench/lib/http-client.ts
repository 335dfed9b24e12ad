// Streaming node:http publish and download clients.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import http from 'node:http';

export type PublishResult = { seconds: number; status: number; digest: string; size: number; body: string };

/** PUTs the file as the raw request body (streamed) and waits for the full response. */
export function publish(baseUrl: string, name: string, version: string, file: string, bytes: number, token: string): Promise<PublishResult> {
  const url = `${baseUrl}/api/v1/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}`;
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(url, {
      method: 'PUT',
      agent: false,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes), authorization: `Bearer ${token}` },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        const body = Buffer.concat(chunks).toString('utf8');
        let digest = '';
        let size = -1;
        try {
          const json = JSON.parse(body) as { digest?: string; size?: number };
          digest = json.digest ?? '';
          size = json.size ?? -1;
        } catch {
          // not JSON: reported through body
        }
        resolve({ seconds, status: res.statusCode ?? 0, digest, size, body });
      });
    });
    const src = createReadStream(file, { highWaterMark: 1024 * 1024 });
    src.on('error', (err) => req.destroy(err));
    src.pipe(req);
  });
}

export type DownloadResult = { seconds: number; status: number; bytes: number; sha256: string | null; headerDigest: string | null };

/** GETs the package bytes, counting them (and hashing them when `hash`). */
export function download(baseUrl: string, name: string, version: string, hash: boolean): Promise<DownloadResult> {
  const url = `${baseUrl}/api/v1/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}/download`;
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.get(url, { agent: false }, (res) => {
      const h = hash ? createHash('sha256') : null;
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        h?.update(c);
      });
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('download aborted')));
      res.on('end', () => {
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        const headerDigest = res.headers['x-torsh-digest'];
        resolve({
          seconds,
          status: res.statusCode ?? 0,
          bytes,
          sha256: h ? `sha256:${h.digest('hex')}` : null,
          headerDigest: typeof headerDigest === 'string' ? headerDigest : null,
        });
      });
    });
    req.on('error', reject);
  });
}
