import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '../support/fixtures';
import { publish, samplePackage, uniqueName } from '../support/registry';

type Received = { headers: http.IncomingHttpHeaders; body: string };

/** A webhook receiver on loopback, answering 200 with a short text. */
async function startReceiver() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.end('received by the e2e receiver');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/torsh-alerts`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('a rule fires on real downloads: the Alerts page shows the alert and the webhook delivery, whose signature verifies', async ({ adminPage: page, api }) => {
  const receiver = await startReceiver();
  try {
    const hookName = uniqueName('e2e-hook');
    const created = await api.post('/api/v1/alerts/webhooks', { data: { name: hookName, url: receiver.url, min_severity: 'warning' } });
    expect(created.status(), await created.text()).toBe(201);
    const { secret } = await created.json();

    const ruleName = uniqueName('downloads-seen');
    const rule = await api.post('/api/v1/alerts/rules', {
      data: { name: ruleName, series: 'download', stat: 'count', kind: 'max_count', threshold: 0, window_ms: 300_000, for_ms: 0, severity: 'critical' },
    });
    expect(rule.status(), await rule.text()).toBe(201);

    const name = uniqueName('alerted');
    const pkg = await samplePackage({ name, version: '1.0.0' });
    expect((await publish(api, name, '1.0.0', pkg.bytes)).status()).toBe(201);
    for (let i = 0; i < 3; i++) {
      const res = await api.get(`/api/v1/packages/${name}/1.0.0/download`);
      expect(res.status()).toBe(200);
      await res.body();
    }

    await page.goto('/alerts');
    await expect(page.getByRole('heading', { name: 'Rules' })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: ruleName })).toBeVisible();
    await page.getByRole('button', { name: 'Evaluate now' }).click();

    const active = page.getByRole('region', { name: 'Active alerts' }).getByRole('row').filter({ hasText: ruleName });
    await expect(active).toBeVisible();
    await expect(active).toContainText('critical');
    await expect(active).toContainText('firing');
    await expect(page.getByRole('region', { name: 'History' }).getByRole('row').filter({ hasText: ruleName })).toContainText('firing');

    // The in-process worker delivers the notification through the job queue.
    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBeGreaterThan(0);
    const delivery = receiver.received[0];
    const body = JSON.parse(delivery.body);
    expect(body).toMatchObject({ event: 'firing', alert: { rule: ruleName, severity: 'critical', series: 'download', threshold: 0 } });
    expect(body.alert.value).toBeGreaterThanOrEqual(3);
    const ts = delivery.headers['x-torsh-timestamp'] as string;
    expect(delivery.headers['x-torsh-signature']).toBe(`sha256=${createHmac('sha256', secret).update(`${ts}.${delivery.body}`).digest('hex')}`);

    const hook = page.getByRole('listitem', { name: `Webhook ${hookName}` });
    await hook.getByRole('button', { name: 'Deliveries' }).click();
    const deliveries = hook.getByRole('region', { name: `Deliveries to ${hookName}` });
    const row = deliveries.getByRole('row').filter({ hasText: 'firing' });
    await expect(row).toBeVisible();
    await expect(row).toContainText('200');
    await row.getByText(/Response \(/).click();
    await expect(row).toContainText('received by the e2e receiver');

    // Acknowledge it from the page: recorded on the alert.
    await active.getByRole('button', { name: `Acknowledge ${ruleName}` }).click();
    await expect(active).toContainText('Acknowledged by admin');
  } finally {
    await receiver.close();
  }
});
