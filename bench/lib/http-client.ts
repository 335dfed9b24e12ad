// A streaming node:http download client.
import { createHash } from 'node:crypto';
import http from 'node:http';

export type DownloadResult = { seconds: number; status: number; bytes: number; sha256: string | null; headerDigest: string | null };

/** GETs the package bytes (with the bearer token when given), counting them (and hashing them when `hash`). */
export function download(baseUrl: string, name: string, version: string, hash: boolean, token?: string): Promise<DownloadResult> {
  const url = `${baseUrl}/api/v1/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}/download`;
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const req = http.get(url, { agent: false, headers }, (res) => {
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
