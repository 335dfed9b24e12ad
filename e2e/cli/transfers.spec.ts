import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { adminToken, expect, test } from '../support/fixtures';
import { uniqueName } from '../support/registry';
import { cliHome, packageDir, sha256Of, startProxy, torsh, type Proxy, removeHomes } from './cli';

const MiB = 1024 * 1024;

/** Packs and publishes a ~4 MiB package straight to the server. */
async function published(env: NodeJS.ProcessEnv, dir: string, token: string, prefix: string) {
  const name = uniqueName(prefix);
  const file = path.join(dir, `${name}.torshpkg`);
  const packed = await torsh(['pack', packageDir(dir, name, '1.0.0', 4096), '-o', file], { env, token });
  expect(packed.code, packed.stderr).toBe(0);
  const pub = await torsh(['publish', file], { env, token });
  expect(pub.code, pub.stderr).toBe(0);
  return { name, file, digest: sha256Of(file), size: statSync(file).size };
}

const downloads = (proxy: Proxy) => proxy.requests.filter((r) => r.url.endsWith('/download'));


test.afterAll(removeHomes);

test.describe('torsh transfers', () => {
  let proxy: Proxy | null = null;
  test.afterEach(async () => {
    await proxy?.close();
    proxy = null;
  });

  test('an interrupted download resumes with Range / If-Range and verifies', async ({ request }) => {
    const token = await adminToken(request);
    const { dir, env } = cliHome();
    const pkg = await published(env, dir, token, 'cli-resume');
    let cut = false;
    proxy = await startProxy({
      cutAfter: (req) => {
        if (cut || !req.url!.endsWith('/download')) return null;
        cut = true;
        return 1 * MiB;
      },
    });
    const out = path.join(dir, 'resumed.torshpkg');
    const r = await torsh(['download', `${pkg.name}@1.0.0`, '-o', out], { env, token, registry: proxy.url });
    expect(r.code, r.stderr).toBe(0);
    expect(sha256Of(out)).toBe(pkg.digest);
    expect(r.stderr).toMatch(/retrying in/);
    const [first, second, ...rest] = downloads(proxy);
    expect(first.headers.range).toBeUndefined();
    expect(second.headers.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(second.headers.range!)![0])).toBeGreaterThan(0);
    expect(second.headers['if-range']).toBe(`"sha256:${pkg.digest}"`);
    expect(rest).toEqual([]);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  test('a download cut short with --retries 0 leaves a .partial that the next run resumes', async ({ request }) => {
    const token = await adminToken(request);
    const { dir, env } = cliHome();
    const pkg = await published(env, dir, token, 'cli-rerun');
    let cut = false;
    proxy = await startProxy({
      cutAfter: (req) => {
        if (cut || !req.url!.endsWith('/download')) return null;
        cut = true;
        return 2 * MiB;
      },
    });
    const out = path.join(dir, 'rerun.torshpkg');
    const failed = await torsh(['download', `${pkg.name}@1.0.0`, '-o', out, '--retries', '0'], { env, token, registry: proxy.url });
    expect(failed.code, failed.stderr).toBe(2);
    expect(failed.stderr).toMatch(/^torsh: /m);
    expect(existsSync(out)).toBe(false);
    const have = statSync(`${out}.partial`).size;
    expect(have).toBeGreaterThan(0);
    expect(have).toBeLessThanOrEqual(2 * MiB);
    expect(JSON.parse(readFileSync(`${out}.partial.json`, 'utf8'))).toMatchObject({ digest: pkg.digest, etag: `"sha256:${pkg.digest}"` });

    const resumed = await torsh(['download', `${pkg.name}@1.0.0`, '-o', out, '--retries', '0'], { env, token, registry: proxy.url });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(sha256Of(out)).toBe(pkg.digest);
    const last = downloads(proxy).at(-1)!;
    expect(last.headers.range).toBe(`bytes=${have}-`);
    expect(last.headers['if-range']).toBe(`"sha256:${pkg.digest}"`);
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect(existsSync(`${out}.partial.json`)).toBe(false);
  });

  test('a download redirected elsewhere (a CDN, a mirror) is followed, without the token', async ({ request }) => {
    const token = await adminToken(request);
    const { dir, env } = cliHome();
    const pkg = await published(env, dir, token, 'cli-redirect');
    const elsewhere = await startProxy({});
    try {
      proxy = await startProxy({
        intercept: (req, res) => {
          if (!req.url!.endsWith('/download')) return false;
          res.writeHead(302, { location: `${elsewhere.url}${req.url}` });
          res.end();
          return true;
        },
      });
      const out = path.join(dir, 'redirected.torshpkg');
      const r = await torsh(['download', `${pkg.name}@1.0.0`, '-o', out, '--no-cache'], { env, token, registry: proxy.url });
      expect(r.code, r.stderr).toBe(0);
      expect(sha256Of(out)).toBe(pkg.digest);
      expect(downloads(proxy)).toHaveLength(1);
      expect(downloads(proxy)[0].headers.authorization).toBe(`Bearer ${token}`);
      expect(downloads(elsewhere)).toHaveLength(1);
      expect(downloads(elsewhere)[0].headers.authorization).toBeUndefined();
    } finally {
      await elsewhere.close();
    }
  });

  test('503s are retried with backoff until the registry answers; --retries 0 gives up with exit 2', async ({ request, api }) => {
    const token = await adminToken(request);
    const { dir, env } = cliHome();
    const name = uniqueName('cli-retry');
    const file = path.join(dir, 'retry.torshpkg');
    expect((await torsh(['pack', packageDir(dir, name, '1.0.0', 512), '-o', file], { env })).code).toBe(0);

    const unavailable = (limit: number) =>
      startProxy({
        intercept: (req, res, index) => {
          if (index >= limit) return false;
          // Read the upload first, then refuse it, as an overloaded server would.
          req.resume();
          req.on('end', () => {
            res.writeHead(503, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'the registry is busy' } }));
          });
          return true;
        },
      });

    proxy = await unavailable(2);
    const r = await torsh(['publish', file], { env, token, registry: proxy.url });
    expect(r.code, r.stderr).toBe(0);
    expect(proxy.requests.map((q) => q.method)).toEqual(['PUT', 'PUT', 'PUT']);
    expect(r.stderr.match(/HTTP 503; retrying in/g)).toHaveLength(2);
    expect((await api.get(`/api/v1/packages/${name}/1.0.0`)).status()).toBe(200);
    await proxy.close();

    proxy = await unavailable(Infinity);
    const once = await torsh(['search', name, '--retries', '0'], { env, token, registry: proxy.url });
    expect(once.code).toBe(2);
    expect(once.stderr).toMatch(/^torsh: the registry is busy \(UNAVAILABLE\)$/m);
    expect(proxy.requests).toHaveLength(1);
    await proxy.close();

    proxy = await unavailable(Infinity);
    const twice = await torsh(['search', name, '--retries', '2'], { env, token, registry: proxy.url });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/gave up after 3 attempts/);
    expect(proxy.requests).toHaveLength(3);

    const refused = await torsh(['search', name, '--retries', '1'], { env, registry: 'http://127.0.0.1:9' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cannot reach the registry at 127\.0\.0\.1:9: connection refused/);
  });
});
