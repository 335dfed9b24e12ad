import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTestServer, type ApiTestServer } from './test-support/api-test-server';

let t: ApiTestServer;

beforeAll(async () => {
  t = await startApiTestServer({ headersTimeoutMs: 600, idleTimeoutMs: 800, keepAliveTimeoutMs: 5_000 });
});

afterAll(async () => {
  await t?.close();
});

/** Connect, write `text`, and collect everything until the server closes the socket. */
function holdOpen(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(t.port, '127.0.0.1', () => socket.write(text));
    let got = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (got += d));
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
  });
}

describe('slow clients', () => {
  it('closes a connection whose request head never completes (408)', async () => {
    const got = await holdOpen('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n');
    expect(got).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes an upload that stops sending (idle timeout), having answered nothing', async () => {
    const got = await holdOpen('POST /api/v1/auth/tokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user');
    expect(got).toBe('');
  });

  it('keeps an upload that keeps moving, however long it takes in total', async () => {
    // 12 chunks, each well inside the idle timeout, together longer than it.
    const body = JSON.stringify({ username: 'nobody', password: 'x'.repeat(100), name: 'n' });
    const parts = body.match(/.{1,12}/g)!;
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: t.port, method: 'POST', path: '/api/v1/auth/tokens', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      let i = 0;
      const next = () => {
        if (i === parts.length) return void req.end();
        req.write(parts[i++]);
        setTimeout(next, 100);
      };
      next();
    });
    expect(status).toBe(401); // the body arrived whole and was judged: unknown user
  });
});
