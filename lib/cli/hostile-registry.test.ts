import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeSamplePackage } from '../engine/format/test-support/sample-package';
import { EXIT } from './exit-codes';
import { startFakeRegistry, type FakeRegistry, type Routes } from './test-support/fake-registry';
import { torshInProcess } from './test-support/run-in-process';
import { cliHome, removeHomes } from './test-support/run-torsh';

// A registry that answers with path-climbing versions and terminal escape sequences.

const BYTES = Buffer.from('the bytes of a package that must not land outside the output directory');
const DIGEST = `sha256:${createHash('sha256').update(BYTES).digest('hex')}`;
// Lexically outside the output directory once made into `<name>-<version>.torshpkg`.
const CLIMBING = '1.0.0/../../../evil';
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// Cleaned, it reads "abc forged: ok": the sequences go whole, the line break becomes a space.
const NASTY = 'a\u001b[2J\u001b]0;pwned\u0007b\u009b31m\u202ec\r\nforged: ok';

let fake: FakeRegistry | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});
afterAll(removeHomes);

const versionMeta = (version: string, extra: Record<string, unknown> = {}) => ({
  name: 'evil',
  version,
  digest: DIGEST,
  size: BYTES.length,
  yanked: false,
  signature: null,
  ...extra,
});

/** Every download route a climbing version could be fetched through answers with real bytes. */
const downloads = (...versions: string[]): Routes =>
  Object.fromEntries(versions.map((v) => [`GET /api/v1/packages/evil/${encodeURIComponent(v)}/download`, { body: BYTES, headers: { 'content-type': 'application/octet-stream' } }]));

/** A sandbox with the output directory two levels down; lists every file in the sandbox afterwards. */
function sandbox() {
  const { dir, env } = cliHome();
  const out = path.join(dir, 'a', 'b', 'out');
  mkdirSync(out, { recursive: true });
  const files = () => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
  return { env, out, files };
}

async function run(routes: Routes, args: string[], env: NodeJS.ProcessEnv) {
  fake = await startFakeRegistry(routes);
  return torshInProcess([...args, '--registry', fake.url, '--retries', '0'], env);
}

describe('a version from the registry never builds a path outside the output directory', () => {
  it.each([
    ['latest', 'evil@latest', { 'GET /api/v1/packages/evil': { json: { name: 'evil', latest: CLIMBING, versions: [versionMeta(CLIMBING)] } } }],
    ['latest ../../evil', 'evil@latest', { 'GET /api/v1/packages/evil': { json: { name: 'evil', latest: '../../evil', versions: [versionMeta('../../evil')] } } }],
    ['a channel', 'evil@production', { 'GET /api/v1/packages/evil/production': { json: versionMeta(CLIMBING) } }],
    ['an exact version answered as another', 'evil@1.0.0', { 'GET /api/v1/packages/evil/1.0.0': { json: versionMeta(CLIMBING) } }],
  ])('%s: exit 7, nothing fetched, nothing written', async (_, spec, routes) => {
    const { env, out, files } = sandbox();
    const result = await run({ ...routes, ...downloads(CLIMBING, '../../evil') }, ['download', spec, '-o', `${out}/`, '--no-cache'], env);
    expect(result.code, result.stderr).toBe(EXIT.INTEGRITY);
    expect(result.stderr).toMatch(/^torsh: (the registry answered .* with an invalid version|asked for evil@1\.0\.0, the registry answered)/);
    expect(fake!.requests.filter((r) => r.url.endsWith('/download'))).toEqual([]);
    expect(files()).toEqual([]);
  });

  it('a well-formed answer is downloaded into the directory (the same fake, a sane version)', async () => {
    const { env, out, files } = sandbox();
    const result = await run({ 'GET /api/v1/packages/evil/production': { json: versionMeta('1.2.0') }, ...downloads('1.2.0') }, ['download', 'evil@production', '-o', `${out}/`, '--no-cache'], env);
    expect(result.code, result.stderr).toBe(EXIT.OK);
    expect(files()).toEqual([path.join('a', 'b', 'out', 'evil-1.2.0.torshpkg')]);
  });

  it('a package name from the command line is checked too (exit 1, no request)', async () => {
    const { env, out } = sandbox();
    const result = await run({}, ['download', '../../x@1.0.0', '-o', `${out}/`], env);
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stderr).toBe('torsh: invalid package name "../../x"\n');
    expect(fake!.requests).toEqual([]);
  });
});

describe('text from the registry reaches the terminal without control characters', () => {
  it('an error answer: message on one clean line, a code that is not a code dropped', async () => {
    const { env } = sandbox();
    const result = await run({ 'GET /api/v1/packages/evil/1.0.0': { status: 404, json: { error: { code: '\u001b[31mX', message: NASTY } } } }, ['download', 'evil@1.0.0'], env);
    expect(result.code).toBe(EXIT.NOT_FOUND);
    expect(result.stderr).toBe('torsh: abc forged: ok\n');
  });

  it('a yank reason in the download warning', async () => {
    const { env, out } = sandbox();
    const meta = versionMeta('1.0.0', { yanked: true, yank_reason: NASTY });
    const result = await run({ 'GET /api/v1/packages/evil/1.0.0': { json: meta }, ...downloads('1.0.0') }, ['download', 'evil@1.0.0', '-o', `${out}/`], env);
    expect(result.code, result.stderr).toBe(EXIT.OK);
    expect(result.stderr).toContain('torsh: warning: evil@1.0.0 is yanked (abc forged: ok)\n');
    expect(result.stderr).not.toMatch(CONTROL);
  });

  it('search results: a clean table; --json escapes the controls but keeps the value', async () => {
    const { env } = sandbox();
    const answer = { total: 1, page: 1, per_page: 20, packages: [{ name: `evil${NASTY}`, description: NASTY, latest: '1.0.0', size: 1, downloads: 0, tags: [] }] };
    const routes = { 'GET /api/v1/search': { json: answer } };
    const text = await run(routes, ['search', 'x'], env);
    expect(text.code, text.stderr).toBe(EXIT.OK);
    expect(text.stdout).not.toMatch(CONTROL);
    expect(text.stdout.split('\n')[1]).toMatch(/^evilabc forged: ok +1\.0\.0 +1 B +0 +abc forged: ok$/);
    await fake!.close();
    const json = await run(routes, ['search', 'x', '--json'], env);
    expect(json.stdout).not.toMatch(CONTROL);
    expect(json.stdout).toContain('\\u009b31m\\u202ec');
    expect(JSON.parse(json.stdout)).toEqual(answer);
  });

  it("keys ls: an owner's escape sequences are removed", async () => {
    const { env } = sandbox();
    const answer = { registry_key_id: 'x', keys: [{ key_id: '0123456789abcdef', public_key: Buffer.alloc(32, 1).toString('base64'), owner: NASTY, revoked: false }] };
    const result = await run({ 'GET /api/v1/keys/trusted': { json: answer } }, ['keys', 'ls'], env);
    expect(result.code, result.stderr).toBe(EXIT.OK);
    expect(result.stdout).not.toMatch(CONTROL);
    expect(result.stdout).toContain('abc forged: ok');
  });

  it('inspect: manifest text of a package file', async () => {
    const { env, out } = sandbox();
    const file = await writeSamplePackage({ name: 'evil', version: '1.0.0', description: NASTY, author: '\u202eevil', dir: out });
    const result = await torshInProcess(['inspect', file], env);
    expect(result.code, result.stderr).toBe(EXIT.OK);
    expect(result.stdout).not.toMatch(CONTROL);
    expect(result.stdout).toContain('description:    abc forged: ok\n');
    expect(result.stdout).toContain('author:         evil\n');
  });
});
