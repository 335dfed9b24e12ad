import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRole, type RoleProcess } from '@/lib/server/test-support/role-process';
import { probeMirror } from './probe-mirror';
import { closedPort, startHealthServer, type HealthServer } from './test-support/health-server';

let server: HealthServer;
beforeAll(async () => {
  server = await startHealthServer();
});
afterAll(() => server.stop());

const probe = (url = server.url, timeoutMs = 2000) => probeMirror(url, { timeoutMs });

describe('probeMirror', () => {
  it('accepts a mirror health body and reads its position, load and bytes', async () => {
    server.answer.status = 200;
    server.answer.type = 'application/json';
    server.answer.body = server.mirrorBody(42);
    const r = await probe();
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.health).toMatchObject({ role: 'mirror', position: 42, load: 2, bytesHeld: 1234 });
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('refuses an unreachable port as MIRROR_UNREACHABLE, saying why', async () => {
    const r = await probe(`http://127.0.0.1:${await closedPort()}`);
    expect(r).toMatchObject({ ok: false, code: 'MIRROR_UNREACHABLE', status: null });
    if (!r.ok) expect(r.error).toMatch(/unreachable: ECONNREFUSED/);
  });

  it('refuses a server that does not answer in time', async () => {
    server.answer.delayMs = 1500;
    try {
      const r = await probe(server.url, 300);
      expect(r).toMatchObject({ ok: false, code: 'MIRROR_UNREACHABLE' });
      if (!r.ok) expect(r.error).toMatch(/no answer within 300 ms/);
    } finally {
      server.answer.delayMs = 0;
    }
  });

  it.each([
    ['an HTML page', 200, 'text/html', '<!doctype html><title>Welcome to nginx!</title>', /answered text\/html, not JSON/],
    ['a non-registry JSON', 200, 'application/json', '{"hello":"world"}', /not a ToRSh registry health answer/],
    ['an edge cache', 200, 'application/json', '{"status":"ok","role":"edge","cache":{}}', /edge cache, not a mirror/],
    ['another role', 200, 'application/json', '{"status":"ok","role":"printer"}', /role is "printer"/],
    ['a 404', 404, 'text/plain', 'nope', /answered 404/],
    ['a redirect', 302, 'text/plain', '', /redirect \(302\)/],
  ])('refuses %s as NOT_A_REGISTRY', async (_what, status, type, body, message) => {
    Object.assign(server.answer, { status, type, body });
    const r = await probe();
    expect(r).toMatchObject({ ok: false, code: 'NOT_A_REGISTRY', status });
    if (!r.ok) expect(r.error).toMatch(message);
  });

  describe('a real headless origin', () => {
    let origin: RoleProcess;
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-probe-'));
      origin = await startRole(['--role', 'origin', '--data', dir]);
    }, 90_000);
    afterAll(async () => {
      await origin?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it('answers as a registry (role origin)', async () => {
      const r = await probe(origin.url, 5000);
      expect(r).toMatchObject({ ok: true, status: 200, health: { role: 'origin' } });
    });
  });
});
