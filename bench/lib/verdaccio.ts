// Verdaccio 6.8 as the reference for metadata requests: installed from the npm registry into
// bench/.cache/verdaccio (git-ignored) on first use, run with a generated config (storage in a
// temp dir, no uplinks, htpasswd auth), seeded with one small published npm package.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runChecked } from './run-command';
import { freePort, startService, type Service } from './service';

export const VERDACCIO_VERSION = '6.8.0';
const CACHE = path.resolve(__dirname, '..', '.cache', 'verdaccio');
const BIN = path.join(CACHE, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
const USER = { name: 'bench', password: 'bench-verdaccio-password' };

function installedVersion(): string | null {
  try {
    return (JSON.parse(readFileSync(path.join(CACHE, 'node_modules', 'verdaccio', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

/** Installs Verdaccio into the cache folder unless that version is already there. */
export async function ensureVerdaccio(log: (msg: string) => void): Promise<void> {
  if (installedVersion() === VERDACCIO_VERSION) return;
  log(`installing verdaccio@${VERDACCIO_VERSION} into ${CACHE} (npm registry; once)…`);
  mkdirSync(CACHE, { recursive: true });
  const manifest = {
    name: 'torsh-bench-verdaccio',
    private: true,
    description: 'Verdaccio for bench/run.ts (installed by the benchmark; git-ignored)',
    dependencies: { verdaccio: VERDACCIO_VERSION },
    // 6.8.0 depends on node-fetch 3 (ESM only); 2.7.0 makes it run on Node 20.
    overrides: { 'node-fetch': '2.7.0' },
  };
  writeFileSync(path.join(CACHE, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  await runChecked('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', '--ignore-scripts', '--no-package-lock'], { cwd: CACHE });
  if (installedVersion() !== VERDACCIO_VERSION) throw new Error(`npm install did not leave verdaccio@${VERDACCIO_VERSION} in ${CACHE}`);
}

/** Starts Verdaccio on a free loopback port with its storage, config and log under `dir`. */
export async function startVerdaccio(dir: string): Promise<Service> {
  mkdirSync(path.join(dir, 'storage'), { recursive: true });
  const port = await freePort();
  const config = path.join(dir, 'config.yaml');
  writeFileSync(
    config,
    `storage: ${path.join(dir, 'storage')}
auth:
  htpasswd:
    file: ${path.join(dir, 'htpasswd')}
    max_users: 10
uplinks: {}
packages:
  '**':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
log: { type: stdout, format: json, level: warn }
`,
  );
  return startService({
    name: `verdaccio ${VERDACCIO_VERSION}`,
    cmd: process.execPath,
    args: [BIN, '--config', config, '--listen', `127.0.0.1:${port}`],
    cwd: dir,
    env: { ...process.env, NODE_ENV: 'production' },
    port,
    healthPath: '/-/ping',
    logFile: path.join(dir, 'verdaccio.log'),
    timeoutMs: 60_000,
  });
}

async function json(res: Response, expected: number, what: string): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (res.status !== expected) throw new Error(`verdaccio ${what} answered ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Adds the bench user and publishes `name`@1.0.0 (a small real tarball) with npm's publish document. */
export async function seedVerdaccio(baseUrl: string, dir: string, name: string): Promise<void> {
  const user = await json(
    await fetch(`${baseUrl}/-/user/org.couchdb.user:${USER.name}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ _id: `org.couchdb.user:${USER.name}`, name: USER.name, password: USER.password, type: 'user', roles: [] }),
    }),
    201,
    'adding the bench user',
  );
  const token = String(user.token);

  const version = '1.0.0';
  const pkgJson = { name, version, description: 'A small package published to Verdaccio by the benchmark', main: 'index.js', license: 'MIT' };
  const src = path.join(dir, 'npm-package');
  mkdirSync(path.join(src, 'package'), { recursive: true });
  writeFileSync(path.join(src, 'package', 'package.json'), JSON.stringify(pkgJson, null, 2));
  writeFileSync(path.join(src, 'package', 'index.js'), 'module.exports = () => 42;\n');
  const tgz = path.join(src, `${name}-${version}.tgz`);
  await runChecked('tar', ['-czf', tgz, '-C', src, 'package']);
  const data = readFileSync(tgz);
  const tarball = `${name}-${version}.tgz`;
  const doc = {
    _id: name,
    name,
    description: pkgJson.description,
    'dist-tags': { latest: version },
    versions: {
      [version]: {
        ...pkgJson,
        _id: `${name}@${version}`,
        dist: {
          shasum: createHash('sha1').update(data).digest('hex'),
          integrity: `sha512-${createHash('sha512').update(data).digest('base64')}`,
          tarball: `${baseUrl}/${name}/-/${tarball}`,
        },
      },
    },
    _attachments: { [tarball]: { content_type: 'application/octet-stream', data: data.toString('base64'), length: data.length } },
  };
  await json(
    await fetch(`${baseUrl}/${name}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(doc),
    }),
    201,
    `publishing ${name}`,
  );
  const meta = await json(await fetch(`${baseUrl}/${name}`), 200, `GET /${name}`);
  if (!(meta.versions as Record<string, unknown> | undefined)?.[version]) {
    throw new Error(`verdaccio's GET /${name} does not list ${version}`);
  }
}
