/**
 * The alerts API over real HTTP: who may read and change rules and webhooks, what is stored when
 * a change is refused, and that a webhook's secret leaves the server once, at creation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRules, auditEvents, webhooks } from '@/db/schema';
import { startApiTestServer, type ApiTestServer } from '../test-support/api-test-server';

let t: ApiTestServer;
let admin: { token: string };
let viewer: { token: string };

const RULE = { name: 'slow downloads', series: 'download', stat: 'p95', kind: 'maximum', threshold: 500, window_ms: 300_000, for_ms: 120_000, severity: 'error' };

const call = (method: string, path: string, token: string | null, body?: unknown) =>
  fetch(`${t.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

beforeAll(async () => {
  t = await startApiTestServer();
  admin = await t.user('alerts-admin', ['admin']);
  viewer = await t.user('alerts-viewer', ['viewer']);
});
afterAll(() => t.close());

describe('alerts API', () => {
  it('a viewer (ViewStats, no ManageAlerts) reads alerts but cannot create a rule: 403, nothing stored, the refusal audited', async () => {
    const res = await call('POST', '/api/v1/alerts/rules', viewer.token, RULE);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('FORBIDDEN');
    expect(t.engine.db.select().from(alertRules).all()).toEqual([]);
    expect(t.engine.db.select({ action: auditEvents.action, result: auditEvents.result }).from(auditEvents).all()).toContainEqual({ action: 'alert_rule.create', result: 'denied' });

    const hook = await call('POST', '/api/v1/alerts/webhooks', viewer.token, { name: 'x', url: 'https://hooks.example.test/' });
    expect(hook.status).toBe(403);
    expect(t.engine.db.select().from(webhooks).all()).toEqual([]);

    expect((await call('GET', '/api/v1/alerts/rules', viewer.token)).status).toBe(200);
    expect((await call('GET', '/api/v1/alerts', viewer.token)).status).toBe(200);
    expect((await call('GET', '/api/v1/alerts/rules', null)).status).toBe(401);
  });

  it('an admin creates, changes and deletes a rule; an incoherent rule is refused with the field named', async () => {
    const created = await call('POST', '/api/v1/alerts/rules', admin.token, RULE);
    expect(created.status).toBe(201);
    const rule = await created.json();
    expect(rule).toMatchObject({ ...RULE, dim: '', enabled: true, created_by: 'alerts-admin', state: null });

    const bad = await call('POST', '/api/v1/alerts/rules', admin.token, { ...RULE, kind: 'max_bytes' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    const badPatch = await call('PATCH', `/api/v1/alerts/rules/${rule.id}`, admin.token, { kind: 'max_bytes' });
    expect(badPatch.status).toBe(400);

    const patched = await call('PATCH', `/api/v1/alerts/rules/${rule.id}`, admin.token, { threshold: 750, severity: 'critical' });
    expect(await patched.json()).toMatchObject({ id: rule.id, threshold: 750, severity: 'critical', stat: 'p95' });

    const listed = await (await call('GET', '/api/v1/alerts/rules', viewer.token)).json();
    expect(listed.rules.map((r: { name: string }) => r.name)).toEqual(['slow downloads']);

    expect((await call('POST', `/api/v1/alerts/rules/${rule.id}/ack`, admin.token)).status).toBe(409);
    expect((await call('DELETE', `/api/v1/alerts/rules/${rule.id}`, admin.token)).status).toBe(200);
    expect((await call('DELETE', `/api/v1/alerts/rules/${rule.id}`, admin.token)).status).toBe(404);
  });

  it('a webhook secret is returned once at creation and never by any GET', async () => {
    const res = await call('POST', '/api/v1/alerts/webhooks', admin.token, { name: 'ops', url: 'http://127.0.0.1:9/hook', min_severity: 'warning' });
    expect(res.status).toBe(201);
    const { webhook, secret } = await res.json();
    expect(secret).toMatch(/^whsec_/);
    expect(webhook).not.toHaveProperty('secret');

    const test = await call('POST', `/api/v1/alerts/webhooks/${webhook.id}/test`, admin.token);
    expect(test.status).toBe(202);
    for (const path of ['/api/v1/alerts/webhooks', `/api/v1/alerts/webhooks/${webhook.id}/deliveries`, '/api/v1/alerts', '/api/v1/alerts/rules']) {
      for (const token of [admin.token, viewer.token]) {
        const got = await call('GET', path, token);
        expect(got.status, path).toBe(200);
        const text = await got.text();
        expect(text, path).not.toContain(secret);
        expect(text, path).not.toContain('"secret"');
      }
    }
    const bad = await call('POST', '/api/v1/alerts/webhooks', admin.token, { name: 'x', url: 'file:///etc/passwd' });
    expect(bad.status).toBe(400);
  });

  it("a webhook URL's path and credentials (a Slack URL is its own secret) reach only ManageAlerts holders, never the audit log", async () => {
    const url = 'https://bot:pw@hooks.slack.example/services/T000/B000/XXSECRETXX?token=qq';
    const res = await call('POST', '/api/v1/alerts/webhooks', admin.token, { name: 'slack', url });
    expect(res.status).toBe(201);
    const forAdmin = (await (await call('GET', '/api/v1/alerts/webhooks', admin.token)).json()).webhooks;
    expect(forAdmin.find((w: { name: string }) => w.name === 'slack').url).toBe(url);
    const viewerText = await (await call('GET', '/api/v1/alerts/webhooks', viewer.token)).text();
    expect(JSON.parse(viewerText).webhooks.find((w: { name: string }) => w.name === 'slack').url).toBe('https://hooks.slack.example/…');
    expect(viewerText).not.toContain('XXSECRETXX');
    expect(viewerText).not.toContain('pw@');
    const audited = JSON.stringify(t.engine.db.select().from(auditEvents).all());
    expect(audited).toContain('slack: https://hooks.slack.example/…');
    expect(audited).not.toContain('XXSECRETXX');
    const { webhook } = await res.json();
    expect((await call('DELETE', `/api/v1/alerts/webhooks/${webhook.id}`, admin.token)).status).toBe(200);
  });

  it('evaluate now fires a rule whose condition holds, and the alert shows as active', async () => {
    const res = await call('POST', '/api/v1/alerts/rules', admin.token, { ...RULE, name: 'no downloads', stat: 'count', kind: 'minimum', threshold: 1, for_ms: 0 });
    const rule = await res.json();
    const evaluated = await (await call('POST', '/api/v1/alerts/evaluate', admin.token)).json();
    expect(evaluated.outcomes).toContainEqual({ rule_id: rule.id, value: 0, state: 'firing', event: 'firing', notified: 1 });
    const alerts = await (await call('GET', '/api/v1/alerts', viewer.token)).json();
    expect(alerts.active.map((a: { id: number }) => a.id)).toEqual([rule.id]);
    expect(alerts.events[0]).toMatchObject({ rule: 'no downloads', kind: 'firing', value: 0 });

    const acked = await (await call('POST', `/api/v1/alerts/rules/${rule.id}/ack`, admin.token)).json();
    expect(acked.state).toMatchObject({ state: 'firing', acknowledged_by: 'alerts-admin' });
    const until = Date.now() + 3_600_000;
    const silenced = await (await call('POST', `/api/v1/alerts/rules/${rule.id}/silence`, admin.token, { until })).json();
    expect(silenced.silenced_until).toBe(until);
  });

  it('preview: the stat over sliding windows, one point per step', async () => {
    const to = Date.now();
    const res = await call('GET', `/api/v1/alerts/preview?series=download&stat=count&window=300000&from=${to - 3_600_000}&to=${to}`, viewer.token);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.points.length).toBeGreaterThan(10);
    expect(body.points.every((p: { value: number }) => p.value === 0)).toBe(true);
    expect((await call('GET', `/api/v1/alerts/preview?series=Download!&stat=count&window=300000&from=0&to=1`, viewer.token)).status).toBe(400);
  });

  it("preview of one user's series needs ManageUsers, as the series API does", async () => {
    const to = Date.now();
    const path = `/api/v1/alerts/preview?series=download&dim=u:1&stat=count&window=300000&from=${to - 3_600_000}&to=${to}`;
    const denied = await call('GET', path, viewer.token);
    expect(denied.status).toBe(403);
    expect((await denied.json()).error.code).toBe('FORBIDDEN');
    const ok = await call('GET', path, admin.token);
    expect(ok.status).toBe(200);
    expect((await ok.json()).points.length).toBeGreaterThan(10);
  });
});
