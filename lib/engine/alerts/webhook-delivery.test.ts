import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../actor';
import { getJob } from '../jobs/list-jobs';
import { createSqliteQueue } from '../jobs/sqlite-queue';
import { startWorker, type Worker } from '../jobs/worker';
import { SERIES } from '../metrics/metric-event';
import { recordDownloadEvent } from '../metrics/record';
import { manualClock, tempEngine } from '../test-support/temp-engine';
import { silenceRule } from './alert-actions';
import { ALERT_SCHEDULES, EVALUATE_JOB, alertJobHandlers } from './alert-jobs';
import { createRule } from './alert-rules';
import { sendTestNotification } from './notify-webhooks';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks } from './webhooks';
import { RESPONSE_KEEP_BYTES } from './deliver-webhook';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 30, 12, 0, 10);

type Received = { headers: http.IncomingHttpHeaders; body: string };

/** A real HTTP receiver on loopback answering each request with the next status of `statuses` (then the last one). */
async function startReceiver(statuses: number[], answer = 'ok') {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)];
      res.end(res.statusCode === 200 ? answer : `failing (${res.statusCode})`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/torsh`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** What a receiver does to trust a delivery (the scheme docs/OPERATIONS.md documents). */
function verify(secret: string, r: Received): boolean {
  const ts = r.headers['x-torsh-timestamp'] as string;
  const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex')}`;
  return r.headers['x-torsh-signature'] === expected;
}

let engine: Awaited<ReturnType<typeof tempEngine>>;
let clock: ReturnType<typeof manualClock>;
let worker: Worker;
let queue: ReturnType<typeof createSqliteQueue>;
let receiver: Awaited<ReturnType<typeof startReceiver>> | null = null;

beforeEach(async () => {
  clock = manualClock(T0);
  engine = await tempEngine({}, { clock: clock.now });
  // Jitter pinned to its low end: the first retry is due 500 ms after the failure.
  queue = createSqliteQueue(engine, { backoff: { random: () => 0 } });
  worker = startWorker(engine, alertJobHandlers(() => queue), { queue, manual: true, schedules: ALERT_SCHEDULES });
});
afterEach(async () => {
  await worker.stop();
  await receiver?.close();
  receiver = null;
  await engine.cleanup();
});

function download() {
  recordDownloadEvent(engine, { packageId: 1, versionId: 1, userId: null, status: 200, bytesSent: 10, durationMs: 5, isRange: false, completed: true, region: null, clientAddr: null });
  engine.metrics.flush();
}

/** Run an evaluation through the queue, then the deliveries it enqueued. */
async function evaluateAndDeliver() {
  queue.enqueue(EVALUATE_JOB, null);
  await worker.tick();
  await worker.tick();
}

const busyRule = () =>
  createRule(engine, SYSTEM, {
    name: 'downloads happening',
    series: SERIES.download,
    dim: '',
    stat: 'count',
    kind: 'max_count',
    threshold: 0,
    window_ms: 5 * MIN,
    for_ms: 0,
    severity: 'warning',
    enabled: true,
  });

describe('alert webhooks', () => {
  it('a receiver gets the firing and the resolved notification, signed so that it can verify them with its secret', async () => {
    receiver = await startReceiver([200], 'thanks '.repeat(1000));
    const { secret, webhook } = createWebhook(engine, SYSTEM, { name: 'ops', url: receiver.url, min_severity: 'info' });
    busyRule();
    download();
    await evaluateAndDeliver();
    clock.advance(10 * MIN);
    await evaluateAndDeliver();

    expect(receiver.received.map((r) => JSON.parse(r.body).event)).toEqual(['firing', 'resolved']);
    for (const r of receiver.received) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(verify(secret, r), 'the signature verifies with the secret').toBe(true);
      expect(verify(`${secret}x`, r), 'and not with another').toBe(false);
    }
    const firing = JSON.parse(receiver.received[0].body);
    expect(firing).toMatchObject({
      event: 'firing',
      at: T0,
      alert: { rule: 'downloads happening', severity: 'warning', value: 1, threshold: 0, series: 'download', stat: 'count', kind: 'max_count' },
    });
    expect(receiver.received[0].headers['x-torsh-timestamp']).toBe(String(T0));

    const { deliveries } = listDeliveries(engine, webhook.id, 1, 10);
    expect(deliveries.map((d) => [d.event, d.attempt, d.status_code, d.error])).toEqual([
      ['resolved', 1, 200, null],
      ['firing', 1, 200, null],
    ]);
    expect(deliveries[0].response).toHaveLength(RESPONSE_KEEP_BYTES);
    expect(deliveries[0].response!.startsWith('thanks thanks')).toBe(true);
  });

  it('a receiver that fails is retried through the queue after its backoff, and both attempts are listed', async () => {
    receiver = await startReceiver([500, 200]);
    const { secret, webhook } = createWebhook(engine, SYSTEM, { name: 'flaky', url: receiver.url, min_severity: 'info' });
    busyRule();
    download();
    await evaluateAndDeliver();
    expect(receiver.received).toHaveLength(1);
    const [failed] = listDeliveries(engine, webhook.id, 1, 10).deliveries;
    expect(failed).toMatchObject({ attempt: 1, status_code: 500, response: 'failing (500)', error: 'the receiver answered HTTP 500' });
    expect(getJob(engine, failed.job_id!)).toMatchObject({ state: 'failed', attempts: 1 });

    await worker.tick();
    expect(receiver.received, 'not before the backoff').toHaveLength(1);
    clock.advance(1_000);
    await worker.tick();

    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1].body, 'the retry sends the same notification').toBe(receiver.received[0].body);
    expect(verify(secret, receiver.received[1])).toBe(true);
    expect(listDeliveries(engine, webhook.id, 1, 10).deliveries.map((d) => [d.attempt, d.status_code, d.error])).toEqual([
      [2, 200, null],
      [1, 500, 'the receiver answered HTTP 500'],
    ]);
    expect(getJob(engine, failed.job_id!)).toMatchObject({ state: 'succeeded', attempts: 2 });
  });

  it('an unreachable receiver is recorded with the connection error', async () => {
    receiver = await startReceiver([200]);
    const url = receiver.url;
    await receiver.close();
    receiver = null;
    const { webhook } = createWebhook(engine, SYSTEM, { name: 'gone', url, min_severity: 'info' });
    sendTestNotification(engine, queue, webhook.id);
    await worker.tick();
    const [d] = listDeliveries(engine, webhook.id, 1, 10).deliveries;
    expect(d).toMatchObject({ event: 'test', status_code: null, attempt: 1 });
    expect(d.error).toMatch(/ECONNREFUSED|connect/i);
    expect(listWebhooks(engine)[0].last_delivery).toMatchObject({ status_code: null });
  });

  it('a silenced rule notifies nobody', async () => {
    receiver = await startReceiver([200]);
    createWebhook(engine, SYSTEM, { name: 'ops', url: receiver.url, min_severity: 'info' });
    const rule = busyRule();
    silenceRule(engine, SYSTEM, rule.id, T0 + 60 * MIN);
    download();
    await evaluateAndDeliver();
    clock.advance(10 * MIN);
    await evaluateAndDeliver();
    expect(receiver.received).toEqual([]);
  });

  it('a test-send posts a signed "test" event; a deleted webhook gets nothing more', async () => {
    receiver = await startReceiver([200]);
    const { secret, webhook } = createWebhook(engine, SYSTEM, { name: 'ops', url: receiver.url, min_severity: 'critical' });
    sendTestNotification(engine, queue, webhook.id);
    await worker.tick();
    expect(receiver.received.map((r) => JSON.parse(r.body).event)).toEqual(['test']);
    expect(verify(secret, receiver.received[0])).toBe(true);

    const { job_id } = sendTestNotification(engine, queue, webhook.id);
    deleteWebhook(engine, webhook.id);
    await worker.tick();
    expect(receiver.received).toHaveLength(1);
    expect(getJob(engine, job_id)).toMatchObject({ state: 'succeeded' });
  });

  it('secrets are generated, unique, and never part of a listed webhook', () => {
    const a = createWebhook(engine, SYSTEM, { name: 'a', url: 'https://hooks.example.test/a', min_severity: 'info' });
    const b = createWebhook(engine, SYSTEM, { name: 'b', url: 'https://hooks.example.test/b', min_severity: 'info' });
    expect(a.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(a.secret).not.toBe(b.secret);
    const listed = JSON.stringify(listWebhooks(engine));
    expect(listed).not.toContain(a.secret);
    expect(listed).not.toContain('secret');
    expect(() => createWebhook(engine, SYSTEM, { name: 'c', url: 'ftp://x.test/', min_severity: 'info' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('the evaluation is scheduled every minute', async () => {
    busyRule();
    download();
    clock.advance(MIN);
    await worker.tick();
    expect(engine.db.$client.prepare("SELECT count(*) AS n FROM jobs WHERE kind = 'alerts.evaluate' AND state = 'succeeded'").get()).toEqual({ n: 1 });
  });
});
