/**
 * Every mutating API route and server action, checked against every built-in role and
 * anonymous: allowed or denied exactly as the permission table (BUILT_IN_ROLES, plus the
 * self-service permissions every account holds) says, and audited either way. An allowed call
 * must succeed, or fail with the one domain error its row names (`expect`); each call leaves
 * exactly one audit row of its action, whose result says what happened — except a row marked
 * `readOnly` (a dry run sent as a POST: declared so by its wrapper), which must leave none. The list of mutations
 * is read from the code (the API route table and every actions.ts under app/), so a new
 * mutation fails this test until it gets a row below.
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_ROLES, withSelfService, type BuiltInRole } from '@/lib/engine/access/permissions';
import { actorForUser } from '@/lib/engine/access/actor-for-user';
import { bootstrapAccounts } from '@/lib/engine/access/bootstrap';
import { createSession } from '@/lib/engine/access/sessions';
import { createToken } from '@/lib/engine/access/tokens';
import { createUser, getUser } from '@/lib/engine/access/users';
import { createRole } from '@/lib/engine/access/roles';
import type { ErrorCode } from '@/lib/engine/errors';
import { issueKeyChallenge } from '@/lib/engine/security/key-challenges';
import { generateSigningKey } from '@/lib/engine/security/signing';
import { registerProvenKey } from '@/lib/engine/test-support/key-proof';
import { signChallenge } from '@/lib/engine/test-support/sign-challenge';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { tempEngine } from '@/lib/engine/test-support/temp-engine';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { setChannel } from '@/lib/engine/registry';
import { createSqliteQueue } from '@/lib/engine/jobs/sqlite-queue';
import { SYSTEM } from '@/lib/engine/actor';
import { createRule } from '@/lib/engine/alerts/alert-rules';
import { createWebhook } from '@/lib/engine/alerts/webhooks';
import { seedNode } from '@/lib/engine/replication/test-support/seed-node';
import { alertStates, edges, mirrors, replicationConflicts } from '@/db/schema';
import { seedNode as seedReplicaNode } from '@/lib/engine/replication/test-support/replica-fixtures';
import { seedRepositoryRow } from '@/lib/engine/backup/server/test-support/seed-repository';
import { installEngine } from './engine';
import { runAsUploader, uploadServer } from './uploads/upload-server';
import type { GuardMeta, Requirement } from './guard';
import type { CookieJar } from './request-context';
import { SESSION_COOKIE } from './session-cookie';
import { API_ROUTES, routeId } from './api-routes';

const ROOT = path.resolve(__dirname, '..', '..');
const MUTATING_METHODS = ['PUT', 'POST', 'PATCH', 'DELETE'] as const;
type Who = BuiltInRole | 'anonymous';
const WHO: Who[] = ['anonymous', 'admin', 'maintainer', 'contributor', 'viewer'];
const PW = 'matrix-password-1';

type Outcome = { ok: boolean; code: string | null };
type Caller = {
  who: Who;
  /** A value unique to this caller, for names the fixture creates. */
  tag: string;
  headers: Headers;
  userId: number | null;
  username: string | null;
};
/**
 * One mutation: the permission it declares, and a call made as each caller. An allowed call
 * must succeed, unless `expect` names the one domain error it must fail with instead (audited
 * as 'error' with that code). `alsoNeeds`: the grant rules (nobody grants what they do not hold)
 * ask for these too; without them the call is denied.
 */
type Row = {
  permission: Requirement;
  alsoNeeds?: Requirement[];
  call: (c: Caller) => Promise<Outcome>;
  expect?: ErrorCode;
  /** Changes nothing (a dry run): its wrapper must declare it read-only, and no call may leave an audit row. */
  readOnly?: true;
};

type Mutation = { id: string; meta: GuardMeta | undefined; fn: (...args: never[]) => unknown };

function files(dir: string, name: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name === name)
    .map((e) => path.join(e.parentPath, e.name));
}

async function discoverMutations(): Promise<Mutation[]> {
  const app = path.join(ROOT, 'app');
  const found: Mutation[] = [];
  for (const r of API_ROUTES) {
    if ((MUTATING_METHODS as readonly string[]).includes(r.method)) found.push({ id: routeId(r), meta: r.handler.meta, fn: r.handler as unknown as Mutation['fn'] });
  }
  for (const file of files(app, 'actions.ts')) {
    const mod = await import(file);
    for (const [name, fn] of Object.entries(mod)) {
      if (typeof fn === 'function') found.push({ id: `${path.relative(ROOT, file)}#${name}`, meta: (fn as { meta?: GuardMeta }).meta, fn: fn as Mutation['fn'] });
    }
  }
  return found;
}

const jar = (): CookieJar => ({ set: () => {}, delete: () => {} });

let engine: Awaited<ReturnType<typeof tempEngine>>;
let mutations: Mutation[];
const callers = new Map<Who, { token: string | null; session: string | null; userId: number | null; username: string | null }>();
let packageBytes: (name: string, version: string) => Promise<Blob>;

function routeCall(id: string, method: string, url: string, params: Record<string, string>, body?: BodyInit) {
  return async (c: Caller): Promise<Outcome> => {
    const handler = mutations.find((m) => m.id === id)!.fn as unknown as (req: Request, seg: { params: Promise<Record<string, string>> }) => Promise<Response>;
    const cred = callers.get(c.who)!;
    const headers = new Headers(cred.token ? { authorization: `Bearer ${cred.token}` } : {});
    const res = await handler(new Request(`http://localhost${url}`, { method, headers, body, duplex: 'half' } as RequestInit), { params: Promise.resolve(params) });
    const json = res.headers.get('content-type')?.includes('json') ? await res.json() : {};
    return { ok: res.status < 400, code: json.error?.code ?? null };
  };
}

function actionCall(id: string, input: (c: Caller) => unknown) {
  return async (c: Caller): Promise<Outcome> => {
    const fn = mutations.find((m) => m.id === id)!.fn as unknown as {
      runWith: (req: { headers: Headers; cookies: CookieJar }, raw: unknown) => Promise<{ ok: boolean; error?: { code: string } }>;
    };
    const r = await fn.runWith({ headers: c.headers, cookies: jar() }, input(c));
    return { ok: r.ok, code: r.ok ? null : r.error!.code };
  };
}

/** A tus upload of `name`@1.0.0 owned by `userId` (complete when `bytes` are given). */
async function seedUpload(userId: number, name: string, bytes?: Blob): Promise<string> {
  const server = uploadServer(engine);
  const length = bytes?.size ?? 8;
  const created = await runAsUploader({ userId, create: { filename: 'm.torshpkg', name, version: '1.0.0' } }, () =>
    server.handleWeb(new Request('http://localhost/api/v1/uploads', { method: 'POST', headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': String(length) } })),
  );
  const id = created.headers.get('location')!.split('/').pop()!;
  if (bytes) {
    const headers = { 'Tus-Resumable': '1.0.0', 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' };
    await runAsUploader({ userId, uploadId: id }, () => server.handleWeb(new Request(`http://localhost/api/v1/uploads/${id}`, { method: 'PATCH', headers, body: bytes })));
  }
  return id;
}

/** A tus request to the uploads route; `own` seeds an upload of the caller's (the owner's when anonymous). */
function uploadCall(method: 'POST' | 'PATCH' | 'DELETE') {
  return async (c: Caller): Promise<Outcome> => {
    const handler = mutations.find((m) => m.id === `${method} ${UP}${method === 'POST' ? '' : '/:id'}`)!.fn as unknown as (req: Request, seg: { params: Promise<Record<string, string>> }) => Promise<Response>;
    const cred = callers.get(c.who)!;
    const headers = new Headers({ 'Tus-Resumable': '1.0.0', ...(cred.token ? { authorization: `Bearer ${cred.token}` } : {}) });
    const id = method === 'POST' ? null : await seedUpload(c.userId ?? target('owner'), `up-${c.tag}`);
    let body: Blob | undefined;
    if (method === 'POST') {
      const b64 = (s: string) => Buffer.from(s).toString('base64');
      headers.set('Upload-Length', '8');
      headers.set('Upload-Metadata', `filename ${b64('m.torshpkg')},name ${b64(`up-${c.tag}`)},version ${b64('1.0.0')}`);
    } else if (method === 'PATCH') {
      headers.set('Upload-Offset', '0');
      headers.set('Content-Type', 'application/offset+octet-stream');
      body = new Blob([new Uint8Array(8)]);
    }
    const url = `http://localhost/api/v1/uploads${id ? `/${id}` : ''}`;
    const res = await handler(new Request(url, { method, headers, body }), { params: Promise.resolve(id ? { id } : ({} as Record<string, string>)) });
    const json = res.headers.get('content-type')?.includes('json') ? await res.json() : {};
    return { ok: res.status < 400, code: json.error?.code ?? null };
  };
}

const UP = '/api/v1/uploads';
const PUB = 'app/(dashboard)/publish/actions.ts#publishUploadAction';
const P = 'app/(dashboard)/packages/[name]/actions.ts';
const U = 'app/(dashboard)/admin/users/actions.ts';
const R = 'app/(dashboard)/admin/roles/actions.ts';
const T = 'app/(dashboard)/tokens/actions.ts';
const A = 'app/(auth)/actions.ts';
const V = '/api/v1/packages/:name/:version';
const PK = '/api/v1/packages/:name';
const AL = '/api/v1/alerts';
const AA = 'app/(dashboard)/alerts/actions.ts';

/** One row per mutation in the code base. The shared package `shared` is public and owned by `owner`. */
const TABLE: Record<string, Row> = {
  [`PUT ${V}`]: {
    permission: 'Publish',
    call: async (c) => routeCall(`PUT ${V}`, 'PUT', `/api/v1/packages/new-${c.tag}/1.0.0`, { name: `new-${c.tag}`, version: '1.0.0' }, await packageBytes(`new-${c.tag}`, '1.0.0'))(c),
  },
  [`POST ${V}/yank`]: { permission: 'Yank', call: routeCall(`POST ${V}/yank`, 'POST', '/api/v1/packages/shared/1.0.0/yank', { name: 'shared', version: '1.0.0' }) },
  [`DELETE ${V}/yank`]: {
    permission: 'Unyank',
    call: routeCall(`DELETE ${V}/yank`, 'DELETE', '/api/v1/packages/shared/1.0.0/yank', { name: 'shared', version: '1.0.0' }),
  },
  ['POST /api/v1/auth/tokens']: {
    permission: 'public',
    call: (c) =>
      routeCall('POST /api/v1/auth/tokens', 'POST', '/api/v1/auth/tokens', {}, JSON.stringify({ username: 'owner', password: PW, name: `cli-${c.tag}` }))(c),
  },
  ['POST /api/v1/users']: {
    permission: 'ManageUsers',
    call: (c) =>
      routeCall('POST /api/v1/users', 'POST', '/api/v1/users', {}, JSON.stringify({ username: `api-${c.tag}`, email: `api-${c.tag}@x.test`, password: PW, roles: [] }))(c),
  },
  ['PATCH /api/v1/packages/:name/access']: {
    permission: 'ManageOwners',
    call: routeCall('PATCH /api/v1/packages/:name/access', 'PATCH', '/api/v1/packages/shared/access', { name: 'shared' }, JSON.stringify({ visibility: 'public' })),
  },
  ['PUT /api/v1/packages/:name/grants/:username']: {
    permission: 'ManageOwners',
    call: routeCall(
      'PUT /api/v1/packages/:name/grants/:username',
      'PUT',
      '/api/v1/packages/shared/grants/victim',
      { name: 'shared', username: 'victim' },
      JSON.stringify({ permissions: ['Download'] }),
    ),
  },
  ['POST /api/v1/keys/challenge']: { permission: 'ManageOwnKeys', call: routeCall('POST /api/v1/keys/challenge', 'POST', '/api/v1/keys/challenge', {}) },
  ['POST /api/v1/keys']: {
    permission: 'ManageOwnKeys',
    call: (c) => routeCall('POST /api/v1/keys', 'POST', '/api/v1/keys', {}, JSON.stringify(provenKey(c, `k-${c.tag}`)))(c),
  },
  ['DELETE /api/v1/keys/:keyId']: {
    permission: 'authenticated',
    call: (c) => {
      const keyId = ownKey(c);
      return routeCall('DELETE /api/v1/keys/:keyId', 'DELETE', `/api/v1/keys/${keyId}`, { keyId })(c);
    },
  },
  ['PUT /api/v1/policies']: {
    permission: 'ManageSecurity',
    call: routeCall('PUT /api/v1/policies', 'PUT', '/api/v1/policies', {}, JSON.stringify({ sign_browser_publishes: true })),
  },
  ['app/(dashboard)/keys/actions.ts#keyChallengeAction']: { permission: 'ManageOwnKeys', call: actionCall('app/(dashboard)/keys/actions.ts#keyChallengeAction', () => ({})) },
  ['app/(dashboard)/keys/actions.ts#registerKeyAction']: {
    permission: 'ManageOwnKeys',
    call: actionCall('app/(dashboard)/keys/actions.ts#registerKeyAction', (c) => provenKey(c, `ka-${c.tag}`)),
  },
  ['app/(dashboard)/keys/actions.ts#revokeKeyAction']: {
    permission: 'authenticated',
    call: (c) => {
      const keyId = ownKey(c);
      return actionCall('app/(dashboard)/keys/actions.ts#revokeKeyAction', () => ({ keyId }))(c);
    },
  },
  ['app/(dashboard)/admin/security/actions.ts#updatePolicyAction']: {
    permission: 'ManageSecurity',
    call: actionCall('app/(dashboard)/admin/security/actions.ts#updatePolicyAction', () => ({ require_signature: false })),
  },
  [`${P}#setPackageSignaturePolicyAction`]: {
    permission: 'ManageOwners',
    call: actionCall(`${P}#setPackageSignaturePolicyAction`, () => ({ name: 'shared', require_signature: null })),
  },
  [`${A}#loginAction`]: { permission: 'public', call: actionCall(`${A}#loginAction`, () => ({ username: 'owner', password: PW })) },
  [`${A}#logoutAction`]: {
    permission: 'public',
    // Signs out a session of its own, so the caller's main session survives for the other rows.
    call: (c) => {
      const headers = c.userId === null ? c.headers : new Headers({ cookie: `${SESSION_COOKIE}=${createSession(engine, c.userId, { clientAddr: null, userAgent: null }).token}` });
      return actionCall(`${A}#logoutAction`, () => ({}))({ ...c, headers });
    },
  },
  // Users exist, so setup is closed for everyone; its success path runs in its own test below.
  [`${A}#setupAction`]: {
    permission: 'public',
    expect: 'SETUP_DONE',
    call: actionCall(`${A}#setupAction`, (c) => ({ username: `s-${c.tag}`, email: `s-${c.tag}@x.test`, password: PW })),
  },
  [`${U}#createUserAction`]: {
    permission: 'ManageUsers',
    call: actionCall(`${U}#createUserAction`, (c) => ({ username: `n-${c.tag}`, email: `n-${c.tag}@x.test`, password: PW, roles: ['viewer'] })),
  },
  [`${U}#setUserDisabledAction`]: { permission: 'ManageUsers', call: actionCall(`${U}#setUserDisabledAction`, () => ({ userId: target('victim'), disabled: false })) },
  [`${U}#resetPasswordAction`]: { permission: 'ManageUsers', call: actionCall(`${U}#resetPasswordAction`, () => ({ userId: target('victim'), password: PW })) },
  [`${U}#setUserRolesAction`]: { permission: 'ManageUsers', call: actionCall(`${U}#setUserRolesAction`, () => ({ userId: target('victim'), roles: ['viewer'] })) },
  [`${R}#createRoleAction`]: { permission: 'ManageRoles', call: actionCall(`${R}#createRoleAction`, (c) => ({ name: `r-${c.tag}`, permissions: ['Download'] })) },
  [`${R}#updateRoleAction`]: { permission: 'ManageRoles', call: actionCall(`${R}#updateRoleAction`, () => ({ roleId: target('role'), permissions: ['Download'] })) },
  [`${R}#deleteRoleAction`]: {
    permission: 'ManageRoles',
    call: (c) => actionCall(`${R}#deleteRoleAction`, () => ({ roleId: createRole(engine, { name: `d-${c.tag}`, permissions: [] }).id }))(c),
  },
  [`${T}#createTokenAction`]: { permission: 'ManageOwnTokens', call: actionCall(`${T}#createTokenAction`, (c) => ({ name: `t-${c.tag}`, scopes: ['Download'] })) },
  [`${T}#revokeTokenAction`]: {
    permission: 'authenticated',
    call: (c) => {
      // Each caller revokes a token of its own (an anonymous caller names the owner's).
      const { id } = createToken(engine, fixtureActor(c), { name: `own-${c.tag}`, scopes: ['Download'] });
      return actionCall(`${T}#revokeTokenAction`, () => ({ tokenId: id }))(c);
    },
  },
  [`POST ${UP}`]: { permission: 'Publish', call: uploadCall('POST') },
  [`PATCH ${UP}/:id`]: { permission: 'Publish', call: uploadCall('PATCH') },
  [`DELETE ${UP}/:id`]: { permission: 'Publish', call: uploadCall('DELETE') },
  [PUB]: {
    permission: 'Publish',
    call: async (c) => {
      const name = `upa-${c.tag}`;
      const bytes = new Blob([new Uint8Array(await readFile(await writeSamplePackage({ name, version: '1.0.0' })))]);
      const uploadId = await seedUpload(c.userId ?? target('owner'), name, bytes);
      return actionCall(PUB, () => ({ uploadId, name, version: '1.0.0' }))(c);
    },
  },
  [`${P}#yankVersionAction`]: { permission: 'Yank', call: actionCall(`${P}#yankVersionAction`, () => ({ name: 'shared', version: '1.0.0' })) },
  [`${P}#unyankVersionAction`]: { permission: 'Unyank', call: actionCall(`${P}#unyankVersionAction`, () => ({ name: 'shared', version: '1.0.0' })) },
  [`${P}#setVisibilityAction`]: { permission: 'ManageOwners', call: actionCall(`${P}#setVisibilityAction`, () => ({ name: 'shared', visibility: 'public' })) },
  // An owner holds every package permission, so only a holder of all of them may add one.
  [`${P}#addOwnerAction`]: { permission: 'ManageOwners', alsoNeeds: ['Delete'], call: actionCall(`${P}#addOwnerAction`, () => ({ name: 'shared', username: 'owner' })) },
  [`${P}#removeOwnerAction`]: { permission: 'ManageOwners', call: actionCall(`${P}#removeOwnerAction`, () => ({ name: 'shared', username: 'victim' })) },
  [`${P}#setGrantAction`]: { permission: 'ManageOwners', call: actionCall(`${P}#setGrantAction`, () => ({ name: 'shared', username: 'victim', permissions: ['Download'] })) },
  [`DELETE ${V}`]: {
    permission: 'Delete',
    call: async (c) => {
      await publishSample(engine, `dv-${c.tag}`, '1.0.0');
      return routeCall(`DELETE ${V}`, 'DELETE', `/api/v1/packages/dv-${c.tag}/1.0.0`, { name: `dv-${c.tag}`, version: '1.0.0' })(c);
    },
  },
  [`DELETE ${PK}`]: {
    permission: 'Delete',
    call: async (c) => {
      await publishSample(engine, `dp-${c.tag}`, '1.0.0');
      return routeCall(`DELETE ${PK}`, 'DELETE', `/api/v1/packages/dp-${c.tag}`, { name: `dp-${c.tag}` })(c);
    },
  },
  [`PATCH ${PK}`]: {
    permission: 'Update',
    call: routeCall(`PATCH ${PK}`, 'PATCH', '/api/v1/packages/shared', { name: 'shared' }, JSON.stringify({ description: 'edited by the matrix' })),
  },
  [`PUT ${PK}/channels/:channel`]: {
    permission: 'ManageVersions',
    call: async (c) => {
      await publishSample(engine, `ch-${c.tag}`, '1.0.0');
      const params = { name: `ch-${c.tag}`, channel: 'production' };
      return routeCall(`PUT ${PK}/channels/:channel`, 'PUT', `/api/v1/packages/ch-${c.tag}/channels/production`, params, JSON.stringify({ version: '1.0.0' }))(c);
    },
  },
  [`DELETE ${PK}/channels/:channel`]: {
    permission: 'ManageVersions',
    call: async (c) => {
      await publishSample(engine, `cr-${c.tag}`, '1.0.0');
      setChannel(engine, SYSTEM, { name: `cr-${c.tag}`, channel: 'staging', version: '1.0.0' });
      return routeCall(`DELETE ${PK}/channels/:channel`, 'DELETE', `/api/v1/packages/cr-${c.tag}/channels/staging`, { name: `cr-${c.tag}`, channel: 'staging' })(c);
    },
  },
  [`${P}#deleteVersionAction`]: {
    permission: 'Delete',
    call: async (c) => {
      await publishSample(engine, `adv-${c.tag}`, '1.0.0');
      return actionCall(`${P}#deleteVersionAction`, () => ({ name: `adv-${c.tag}`, version: '1.0.0' }))(c);
    },
  },
  [`${P}#deletePackageAction`]: {
    permission: 'Delete',
    call: async (c) => {
      await publishSample(engine, `adp-${c.tag}`, '1.0.0');
      return actionCall(`${P}#deletePackageAction`, () => ({ name: `adp-${c.tag}` }))(c);
    },
  },
  [`${P}#updatePackageAction`]: {
    permission: 'Update',
    call: actionCall(`${P}#updatePackageAction`, () => ({ name: 'shared', edits: { readme: '# edited by the matrix' } })),
  },
  [`${P}#setChannelAction`]: {
    permission: 'ManageVersions',
    call: async (c) => {
      await publishSample(engine, `ach-${c.tag}`, '1.0.0');
      return actionCall(`${P}#setChannelAction`, () => ({ name: `ach-${c.tag}`, channel: 'stable', version: '1.0.0' }))(c);
    },
  },
  [`${P}#removeChannelAction`]: {
    permission: 'ManageVersions',
    call: async (c) => {
      await publishSample(engine, `acr-${c.tag}`, '1.0.0');
      setChannel(engine, SYSTEM, { name: `acr-${c.tag}`, channel: 'stable', version: '1.0.0' });
      return actionCall(`${P}#removeChannelAction`, () => ({ name: `acr-${c.tag}`, channel: 'stable' }))(c);
    },
  },
  [`POST ${AL}/rules`]: { permission: 'ManageAlerts', call: (c) => routeCall(`POST ${AL}/rules`, 'POST', `${AL}/rules`, {}, JSON.stringify(ruleInput(c)))(c) },
  [`PATCH ${AL}/rules/:id`]: {
    permission: 'ManageAlerts',
    call: (c) => {
      const id = String(seedRule(c));
      return routeCall(`PATCH ${AL}/rules/:id`, 'PATCH', `${AL}/rules/${id}`, { id }, JSON.stringify({ threshold: 20 }))(c);
    },
  },
  [`DELETE ${AL}/rules/:id`]: {
    permission: 'ManageAlerts',
    call: (c) => {
      const id = String(seedRule(c));
      return routeCall(`DELETE ${AL}/rules/:id`, 'DELETE', `${AL}/rules/${id}`, { id })(c);
    },
  },
  [`POST ${AL}/rules/:id/ack`]: {
    permission: 'ManageAlerts',
    call: (c) => {
      const id = String(seedRule(c, true));
      return routeCall(`POST ${AL}/rules/:id/ack`, 'POST', `${AL}/rules/${id}/ack`, { id })(c);
    },
  },
  [`POST ${AL}/rules/:id/silence`]: {
    permission: 'ManageAlerts',
    call: (c) => {
      const id = String(seedRule(c));
      return routeCall(`POST ${AL}/rules/:id/silence`, 'POST', `${AL}/rules/${id}/silence`, { id }, JSON.stringify({ until: Date.now() + 3_600_000 }))(c);
    },
  },
  [`POST ${AL}/evaluate`]: { permission: 'ManageAlerts', call: routeCall(`POST ${AL}/evaluate`, 'POST', `${AL}/evaluate`, {}) },
  [`POST ${AL}/webhooks`]: {
    permission: 'ManageAlerts',
    call: (c) => routeCall(`POST ${AL}/webhooks`, 'POST', `${AL}/webhooks`, {}, JSON.stringify({ name: `w-${c.tag}`, url: 'http://127.0.0.1:9/hook' }))(c),
  },
  [`DELETE ${AL}/webhooks/:id`]: {
    permission: 'ManageAlerts',
    call: (c) => {
      const id = String(seedWebhook());
      return routeCall(`DELETE ${AL}/webhooks/:id`, 'DELETE', `${AL}/webhooks/${id}`, { id })(c);
    },
  },
  [`POST ${AL}/webhooks/:id/test`]: {
    permission: 'ManageAlerts',
    call: (c) => {
      const id = String(seedWebhook());
      return routeCall(`POST ${AL}/webhooks/:id/test`, 'POST', `${AL}/webhooks/${id}/test`, { id })(c);
    },
  },
  [`${AA}#createRuleAction`]: { permission: 'ManageAlerts', call: actionCall(`${AA}#createRuleAction`, (c) => ruleInput(c)) },
  [`${AA}#updateRuleAction`]: { permission: 'ManageAlerts', call: (c) => actionCall(`${AA}#updateRuleAction`, () => ({ id: seedRule(c), severity: 'critical' }))(c) },
  [`${AA}#deleteRuleAction`]: { permission: 'ManageAlerts', call: (c) => actionCall(`${AA}#deleteRuleAction`, () => ({ id: seedRule(c) }))(c) },
  [`${AA}#ackAlertAction`]: { permission: 'ManageAlerts', call: (c) => actionCall(`${AA}#ackAlertAction`, () => ({ id: seedRule(c, true) }))(c) },
  [`${AA}#silenceRuleAction`]: { permission: 'ManageAlerts', call: (c) => actionCall(`${AA}#silenceRuleAction`, () => ({ id: seedRule(c), until: null }))(c) },
  [`${AA}#evaluateAlertsAction`]: { permission: 'ManageAlerts', call: actionCall(`${AA}#evaluateAlertsAction`, () => ({})) },
  [`${AA}#createWebhookAction`]: {
    permission: 'ManageAlerts',
    call: actionCall(`${AA}#createWebhookAction`, (c) => ({ name: `wa-${c.tag}`, url: 'https://hooks.example.test/x', min_severity: 'error' })),
  },
  [`${AA}#deleteWebhookAction`]: { permission: 'ManageAlerts', call: (c) => actionCall(`${AA}#deleteWebhookAction`, () => ({ id: seedWebhook() }))(c) },
  [`${AA}#testWebhookAction`]: { permission: 'ManageAlerts', call: (c) => actionCall(`${AA}#testWebhookAction`, () => ({ id: seedWebhook() }))(c) },
};

const J = 'app/(dashboard)/admin/jobs/actions.ts';

/** A job of the caller's own kind: queued, or dead after one failed attempt. */
function seedJob(c: Caller, state: 'queued' | 'dead'): number {
  const queue = createSqliteQueue(engine);
  const kind = `matrix-${c.tag}-${Math.random()}`;
  const { id } = queue.enqueue(kind, null, { maxAttempts: 1 });
  if (state === 'dead') {
    queue.claim('matrix', [kind], 1_000);
    queue.fail(id, 'matrix', 'seeded failure');
  }
  return id;
}

Object.assign(TABLE, {
  ['POST /api/v1/jobs/:id/retry']: {
    permission: 'ManageJobs',
    call: (c) => {
      const id = String(seedJob(c, 'dead'));
      return routeCall('POST /api/v1/jobs/:id/retry', 'POST', `/api/v1/jobs/${id}/retry`, { id })(c);
    },
  },
  ['POST /api/v1/jobs/:id/cancel']: {
    permission: 'ManageJobs',
    call: (c) => {
      const id = String(seedJob(c, 'queued'));
      return routeCall('POST /api/v1/jobs/:id/cancel', 'POST', `/api/v1/jobs/${id}/cancel`, { id })(c);
    },
  },
  [`${J}#retryJobAction`]: { permission: 'ManageJobs', call: (c) => actionCall(`${J}#retryJobAction`, () => ({ jobId: seedJob(c, 'dead') }))(c) },
  [`${J}#cancelJobAction`]: { permission: 'ManageJobs', call: (c) => actionCall(`${J}#cancelJobAction`, () => ({ jobId: seedJob(c, 'queued') }))(c) },
} satisfies Record<string, Row>);

const ED = '/api/v1/edges';
const CA = 'app/(dashboard)/cdn/actions.ts';
/** An edge row at a URL nothing listens on (registering needs a live edge; the rows below change or purge this one). */
const seedEdge = (c: Caller) =>
  engine.db
    .insert(edges)
    .values({ url: `http://127.0.0.1:9/${c.tag}-${Math.random()}`, region: 'eu-west', purgeToken: 'matrix-token', state: 'healthy', createdAt: Date.now(), updatedAt: Date.now() })
    .returning()
    .get().id;

Object.assign(TABLE, {
  [`POST ${ED}`]: {
    permission: 'ManageCdn',
    expect: 'EDGE_UNREACHABLE',
    call: routeCall(`POST ${ED}`, 'POST', ED, {}, JSON.stringify({ url: 'http://127.0.0.1:9', region: 'eu-west', purge_token: 'matrix-token' })),
  },
  [`PATCH ${ED}/:id`]: {
    permission: 'ManageCdn',
    call: (c) => {
      const id = String(seedEdge(c));
      return routeCall(`PATCH ${ED}/:id`, 'PATCH', `${ED}/${id}`, { id }, JSON.stringify({ region: 'us-east' }))(c);
    },
  },
  [`DELETE ${ED}/:id`]: {
    permission: 'ManageCdn',
    call: (c) => {
      const id = String(seedEdge(c));
      return routeCall(`DELETE ${ED}/:id`, 'DELETE', `${ED}/${id}`, { id })(c);
    },
  },
  [`POST ${ED}/:id/purge`]: {
    permission: 'ManageCdn',
    expect: 'EDGE_PURGE_FAILED',
    call: (c) => {
      const id = String(seedEdge(c));
      return routeCall(`POST ${ED}/:id/purge`, 'POST', `${ED}/${id}/purge`, { id }, JSON.stringify({ all: true }))(c);
    },
  },
  [`${CA}#registerEdgeAction`]: {
    permission: 'ManageCdn',
    expect: 'EDGE_UNREACHABLE',
    call: actionCall(`${CA}#registerEdgeAction`, () => ({ url: 'http://127.0.0.1:9', region: 'eu-west', purge_token: 'matrix-token' })),
  },
  [`${CA}#updateEdgeAction`]: { permission: 'ManageCdn', call: (c) => actionCall(`${CA}#updateEdgeAction`, () => ({ id: seedEdge(c), provider: 'fastly' }))(c) },
  [`${CA}#removeEdgeAction`]: { permission: 'ManageCdn', call: (c) => actionCall(`${CA}#removeEdgeAction`, () => ({ id: seedEdge(c) }))(c) },
  [`${CA}#purgeEdgeAction`]: {
    permission: 'ManageCdn',
    expect: 'EDGE_PURGE_FAILED',
    call: (c) => actionCall(`${CA}#purgeEdgeAction`, () => ({ id: seedEdge(c), target: { name: 'shared' } }))(c),
  },
} satisfies Record<string, Row>);

const MI = '/api/v1/mirrors';
const MA = 'app/(dashboard)/mirrors/actions.ts';

/** A mirror row to change (no probe: edits that keep the URL do not probe). */
function seedMirror(c: Caller): number {
  const now = Date.now();
  return engine.db
    .insert(mirrors)
    .values({ url: `http://127.0.0.1:9/${c.tag}-${Math.random()}`, region: 'eu', state: 'healthy', stateChangedAt: now, createdAt: now, updatedAt: now })
    .returning()
    .get().id;
}

// Adding probes the URL: nothing listens on port 9, so an allowed add fails with the probe's error.
Object.assign(TABLE, {
  [`POST ${MI}`]: {
    permission: 'ManageMirrors',
    expect: 'MIRROR_UNREACHABLE',
    call: (c) => routeCall(`POST ${MI}`, 'POST', MI, {}, JSON.stringify({ url: `http://127.0.0.1:9/${c.tag}`, region: 'eu' }))(c),
  },
  [`PATCH ${MI}/:id`]: {
    permission: 'ManageMirrors',
    call: (c) => {
      const id = String(seedMirror(c));
      return routeCall(`PATCH ${MI}/:id`, 'PATCH', `${MI}/${id}`, { id }, JSON.stringify({ priority: 5 }))(c);
    },
  },
  [`DELETE ${MI}/:id`]: {
    permission: 'ManageMirrors',
    call: (c) => {
      const id = String(seedMirror(c));
      return routeCall(`DELETE ${MI}/:id`, 'DELETE', `${MI}/${id}`, { id })(c);
    },
  },
  [`PUT ${MI}/settings`]: {
    permission: 'ManageMirrors',
    call: routeCall(`PUT ${MI}/settings`, 'PUT', `${MI}/settings`, {}, JSON.stringify({ strategy: 'priority', region_ranges: [{ cidr: '10.0.0.0/8', region: 'eu' }] })),
  },
  [`${MA}#addMirrorAction`]: {
    permission: 'ManageMirrors',
    expect: 'MIRROR_UNREACHABLE',
    call: actionCall(`${MA}#addMirrorAction`, (c) => ({ url: `http://127.0.0.1:9/a-${c.tag}`, region: 'eu' })),
  },
  [`${MA}#updateMirrorAction`]: { permission: 'ManageMirrors', call: (c) => actionCall(`${MA}#updateMirrorAction`, () => ({ id: seedMirror(c), weight: 7 }))(c) },
  [`${MA}#removeMirrorAction`]: { permission: 'ManageMirrors', call: (c) => actionCall(`${MA}#removeMirrorAction`, () => ({ id: seedMirror(c) }))(c) },
  [`${MA}#setStrategyAction`]: { permission: 'ManageMirrors', call: actionCall(`${MA}#setStrategyAction`, () => ({ strategy: 'weighted' })) },
  [`${MA}#setRegionRangesAction`]: {
    permission: 'ManageMirrors',
    call: actionCall(`${MA}#setRegionRangesAction`, () => ({ region_ranges: [{ cidr: '192.168.0.0/16', region: 'lab' }] })),
  },
} satisfies Record<string, Row>);

const RN = '/api/v1/replication';
let nodeSeq = 0;

/** A node row to change (seeded: editing and removing do not probe). */
function seedMatrixNode(c: Caller): string {
  const id = `${c.tag}-n${++nodeSeq}`;
  seedNode(engine, id);
  return id;
}

// Adding probes the node: /dev/null is not a folder, so an allowed add fails with the probe's error.
Object.assign(TABLE, {
  [`POST ${RN}/nodes`]: {
    permission: 'ManageReplication',
    expect: 'REPLICATION_NODE_UNAVAILABLE',
    call: (c) =>
      routeCall(`POST ${RN}/nodes`, 'POST', `${RN}/nodes`, {}, JSON.stringify({ id: `${c.tag}-add`, region: 'eu', backend: { type: 'local', path: `/dev/null/${c.tag}` } }))(c),
  },
  [`PATCH ${RN}/nodes/:id`]: {
    permission: 'ManageReplication',
    call: (c) => {
      const id = seedMatrixNode(c);
      return routeCall(`PATCH ${RN}/nodes/:id`, 'PATCH', `${RN}/nodes/${id}`, { id }, JSON.stringify({ priority: 5 }))(c);
    },
  },
  [`DELETE ${RN}/nodes/:id`]: {
    permission: 'ManageReplication',
    call: (c) => {
      const id = seedMatrixNode(c);
      return routeCall(`DELETE ${RN}/nodes/:id`, 'DELETE', `${RN}/nodes/${id}`, { id })(c);
    },
  },
  [`PUT ${RN}/config`]: { permission: 'ManageReplication', call: routeCall(`PUT ${RN}/config`, 'PUT', `${RN}/config`, {}, JSON.stringify({ sync_interval_secs: 60 })) },
  [`PUT ${PK}/replication`]: {
    permission: 'ManageReplication',
    call: routeCall(`PUT ${PK}/replication`, 'PUT', '/api/v1/packages/shared/replication', { name: 'shared' }, JSON.stringify({ consistency: 'eventual' })),
  },
} satisfies Record<string, Row>);

const RC = '/api/v1/replication/conflicts';

/** An open conflict on a version that no longer exists: the catalogue's side wins by removing the node's ref. */
function seedConflict(c: Caller): number {
  if (!engine.db.get(sql`SELECT 1 AS x FROM replication_nodes WHERE id = 'matrix-node'`)) {
    seedReplicaNode(engine, 'matrix-node', { type: 'local', path: path.join(engine.dataDir, 'matrix-node') });
  }
  const now = Date.now();
  return engine.db
    .insert(replicationConflicts)
    .values({
      name: `gone-${c.tag}`,
      version: '1.0.0',
      nodeId: 'matrix-node',
      catalogueDigest: 'a'.repeat(64),
      catalogueWrittenAt: now,
      nodeDigest: 'b'.repeat(64),
      nodeWrittenAt: now,
      detectedAt: now,
      strategy: 'manual',
      state: 'open',
    })
    .returning()
    .get().id;
}

Object.assign(TABLE, {
  ['POST /api/v1/replication/scrub']: { permission: 'ManageReplication', call: routeCall('POST /api/v1/replication/scrub', 'POST', '/api/v1/replication/scrub', {}) },
  [`POST ${RC}/:id/resolve`]: {
    permission: 'ManageReplication',
    call: (c) => {
      const id = String(seedConflict(c));
      return routeCall(`POST ${RC}/:id/resolve`, 'POST', `${RC}/${id}/resolve`, { id }, JSON.stringify({ winner_digest: 'a'.repeat(64) }))(c);
    },
  },
} satisfies Record<string, Row>);

const RA = 'app/(dashboard)/replication/actions.ts';

// The Replication page's actions: the same engine calls as the routes above.
Object.assign(TABLE, {
  [`${RA}#addNodeAction`]: {
    permission: 'ManageReplication',
    expect: 'REPLICATION_NODE_UNAVAILABLE',
    call: actionCall(`${RA}#addNodeAction`, (c) => ({ id: `${c.tag}-aa`, region: 'eu', backend: { type: 'local', path: `/dev/null/a-${c.tag}` } })),
  },
  [`${RA}#removeNodeAction`]: { permission: 'ManageReplication', call: (c) => actionCall(`${RA}#removeNodeAction`, () => ({ id: seedMatrixNode(c) }))(c) },
  [`${RA}#updateReplicationConfigAction`]: { permission: 'ManageReplication', call: actionCall(`${RA}#updateReplicationConfigAction`, () => ({ sync_interval_secs: 45 })) },
  [`${RA}#startScrubAction`]: { permission: 'ManageReplication', call: actionCall(`${RA}#startScrubAction`, () => ({})) },
  [`${RA}#resolveConflictAction`]: {
    permission: 'ManageReplication',
    call: (c) => actionCall(`${RA}#resolveConflictAction`, () => ({ id: seedConflict(c), winner_digest: 'a'.repeat(64) }))(c),
  },
} satisfies Record<string, Row>);

const BK = '/api/v1/backups/repositories';
const BA = 'app/(dashboard)/backups/actions.ts';
let backupSeq = 0;

/** A configured repository row to act on (seeded: changing settings and queueing jobs do not open it; its password file does not exist). */
function seedBackupRepo(c: Caller): string {
  const id = `${c.tag}-b${++backupSeq}`;
  seedRepositoryRow(engine, id);
  return id;
}

const backupRoute = (method: string, suffix: string, body?: (c: Caller) => unknown) => (c: Caller) => {
  const id = seedBackupRepo(c);
  return routeCall(`${method} ${BK}/:id${suffix}`, method, `${BK}/${id}${suffix}`, { id }, body ? JSON.stringify(body(c)) : undefined)(c);
};
const backupAction = (name: string, input: (c: Caller) => Record<string, unknown> = () => ({})) => (c: Caller) =>
  actionCall(`${BA}#${name}`, () => ({ id: seedBackupRepo(c), ...input(c) }))(c);
const missingPasswordFile = (c: Caller) => ({ type: 'file', path: path.join(engine.dataDir, '..', `no-such-password-${c.tag}`) });
const restoreDir = (c: Caller) => ({ type: 'directory', path: path.join(engine.dataDir, '..', `restore-${c.tag}-${++backupSeq}`) });

// Backups: adding reads the password first (a file that does not exist: refused before the location is touched);
// the preview opens the repository (same error) and, a dry run, is not audited; the rest change settings or queue jobs.
Object.assign(TABLE, {
  [`POST ${BK}`]: {
    permission: 'ManageBackups',
    expect: 'BACKUP_PASSWORD_UNAVAILABLE',
    call: (c) =>
      routeCall(`POST ${BK}`, 'POST', BK, {}, JSON.stringify({ id: `${c.tag}-add`, backend: { type: 'local', path: `/tmp/torsh-matrix-${c.tag}` }, password_source: missingPasswordFile(c), init: true }))(c),
  },
  [`PATCH ${BK}/:id`]: { permission: 'ManageBackups', call: backupRoute('PATCH', '', () => ({ schedule_cron: '0 2 * * *', retention: { keep_last: 3 } })) },
  [`DELETE ${BK}/:id`]: { permission: 'ManageBackups', call: backupRoute('DELETE', '') },
  [`POST ${BK}/:id/snapshots`]: { permission: 'ManageBackups', call: backupRoute('POST', '/snapshots', () => ({ tags: ['matrix'] })) },
  [`POST ${BK}/:id/verify`]: { permission: 'ManageBackups', call: backupRoute('POST', '/verify', () => ({ read_data: true })) },
  [`POST ${BK}/:id/restore`]: { permission: 'ManageBackups', call: backupRoute('POST', '/restore', (c) => ({ snapshot: 'ab'.repeat(32), target: restoreDir(c) })) },
  [`POST ${BK}/:id/retention/preview`]: {
    permission: 'ManageBackups',
    readOnly: true,
    expect: 'BACKUP_PASSWORD_UNAVAILABLE',
    call: backupRoute('POST', '/retention/preview', () => ({ policy: { keep_last: 1 } })),
  },
  [`POST ${BK}/:id/forget`]: { permission: 'ManageBackups', call: backupRoute('POST', '/forget', () => ({ policy: { keep_daily: 7 }, prune: true })) },
  [`POST ${BK}/:id/prune`]: { permission: 'ManageBackups', call: backupRoute('POST', '/prune') },
  [`${BA}#addBackupRepositoryAction`]: {
    permission: 'ManageBackups',
    expect: 'BACKUP_PASSWORD_UNAVAILABLE',
    call: actionCall(`${BA}#addBackupRepositoryAction`, (c) => ({
      id: `${c.tag}-aa`,
      backend: { type: 'local', path: `/tmp/torsh-matrix-a-${c.tag}` },
      password_source: missingPasswordFile(c),
      init: false,
    })),
  },
  [`${BA}#updateBackupRepositoryAction`]: { permission: 'ManageBackups', call: backupAction('updateBackupRepositoryAction', () => ({ description: 'nightly' })) },
  [`${BA}#removeBackupRepositoryAction`]: { permission: 'ManageBackups', call: backupAction('removeBackupRepositoryAction') },
  [`${BA}#startBackupAction`]: { permission: 'ManageBackups', call: backupAction('startBackupAction', () => ({ recovery_point: { name: 'before upgrade' } })) },
  [`${BA}#startVerifyAction`]: { permission: 'ManageBackups', call: backupAction('startVerifyAction', () => ({ read_data: false })) },
  [`${BA}#startRestoreAction`]: {
    permission: 'ManageBackups',
    call: backupAction('startRestoreAction', () => ({ snapshot: 'cd'.repeat(32), target: { type: 'package', name: 'shared', version: '1.0.0' } })),
  },
  [`${BA}#previewRetentionAction`]: {
    permission: 'ManageBackups',
    readOnly: true,
    expect: 'BACKUP_PASSWORD_UNAVAILABLE',
    call: backupAction('previewRetentionAction', () => ({ policy: { keep_within: '7d' } })),
  },
  [`${BA}#startForgetAction`]: { permission: 'ManageBackups', call: backupAction('startForgetAction', () => ({ snapshots: ['ef'.repeat(32)], prune: false })) },
  [`${BA}#startPruneAction`]: { permission: 'ManageBackups', call: backupAction('startPruneAction') },
} satisfies Record<string, Row>);

const ruleInput = (c: Caller) => ({
  name: `rule-${c.tag}`,
  series: 'download',
  stat: 'count',
  kind: 'max_count',
  threshold: 10,
  window_ms: 300_000,
  for_ms: 0,
  severity: 'warning',
});

/** A rule to change; `firing` puts its alert in the firing state (for acknowledgements). */
function seedRule(c: Caller, firing = false): number {
  const { id } = createRule(engine, SYSTEM, { ...ruleInput(c), dim: '', enabled: true } as Parameters<typeof createRule>[2]);
  if (firing) engine.db.insert(alertStates).values({ ruleId: id, state: 'firing', since: Date.now() }).run();
  return id;
}

const seedWebhook = () => createWebhook(engine, SYSTEM, { name: 'matrix', url: 'http://127.0.0.1:9/hook', min_severity: 'info' }).webhook.id;

/** The caller as a signed-in user (an anonymous caller stands in for the owner), for fixtures. */
const fixtureActor = (c: Caller) => actorForUser(engine, getUser(engine, c.userId ?? target('owner')), { sessionId: 'fixture' });

/** A key of the caller's own (an anonymous caller names the owner's), for revoke rows. */
function ownKey(c: Caller): string {
  return registerProvenKey(engine, fixtureActor(c), generateSigningKey(), `own-${c.tag}-${Math.random()}`).key_id;
}

/** A registration body with a valid proof: a fresh key signing a challenge issued to the caller (the owner's for anonymous). */
function provenKey(c: Caller, name: string) {
  const key = generateSigningKey();
  const { challenge } = issueKeyChallenge(engine, fixtureActor(c));
  return { name, public_key: key.publicKey, challenge, signature: signChallenge(key.privateKeyPem, challenge) };
}

const targets = new Map<string, number>();
const target = (name: string) => targets.get(name)!;

function allowed(who: Who, permission: Requirement): boolean {
  if (permission === 'public') return true;
  if (who === 'anonymous') return false;
  if (permission === 'authenticated') return true;
  return withSelfService(BUILT_IN_ROLES[who].permissions).has(permission);
}

type AuditRow = { result: string; error_code: string | null };
const lastAuditId = () => engine.db.get<{ id: number | null }>(sql`SELECT max(id) AS id FROM audit_events`).id ?? 0;
const auditRowsSince = (id: number, action: string) =>
  engine.db.all<AuditRow>(sql`SELECT result, error_code FROM audit_events WHERE id > ${id} AND action = ${action} ORDER BY id`);
const anyAuditRowsSince = (id: number) => engine.db.all<{ action: string }>(sql`SELECT action FROM audit_events WHERE id > ${id}`);

beforeAll(async () => {
  engine = await tempEngine();
  await bootstrapAccounts(engine, undefined);
  installEngine(engine);
  mutations = await discoverMutations();
  packageBytes = async (name, version) => new Blob([new Uint8Array(await readFile(await writeSamplePackage({ name, version })))]);

  for (const who of WHO) {
    if (who === 'anonymous') {
      callers.set(who, { token: null, session: null, userId: null, username: null });
      continue;
    }
    const { id } = await createUser(engine, { username: `u-${who}`, email: `${who}@x.test`, password: PW, roles: [who] });
    const actor = actorForUser(engine, getUser(engine, id), { sessionId: 'setup' });
    callers.set(who, {
      token: createToken(engine, actor, { name: 'matrix' }).token,
      session: createSession(engine, id, { clientAddr: null, userAgent: null }).token,
      userId: id,
      username: `u-${who}`,
    });
  }
  const owner = await createUser(engine, { username: 'owner', email: 'owner@x.test', password: PW, roles: ['contributor'] });
  const victim = await createUser(engine, { username: 'victim', email: 'victim@x.test', password: PW, roles: ['viewer'] });
  targets.set('owner', owner.id);
  targets.set('victim', victim.id);
  targets.set('role', createRole(engine, { name: 'editable', permissions: [] }).id);
  // `shared` is public, owned by `owner` (and `victim`, so removing victim never hits LAST_OWNER).
  const ownerToken = createToken(engine, actorForUser(engine, getUser(engine, owner.id), { sessionId: 'setup' }), { name: 'setup' }).token;
  const put = mutations.find((m) => m.id === `PUT ${V}`)!.fn as unknown as (r: Request, s: unknown) => Promise<Response>;
  const res = await put(
    new Request('http://localhost/api/v1/packages/shared/1.0.0', {
      method: 'PUT',
      headers: { authorization: `Bearer ${ownerToken}` },
      body: await packageBytes('shared', '1.0.0'),
    }),
    { params: Promise.resolve({ name: 'shared', version: '1.0.0' }) },
  );
  expect(res.status).toBe(201);
  engine.db.run(sql`INSERT INTO package_owners (package_id, user_id) SELECT id, ${victim.id} FROM packages WHERE name = 'shared'`);
});

afterAll(async () => {
  await engine?.cleanup();
});

describe('authorisation matrix', () => {
  it('every mutation is built with a wrapper, audited (or declared read-only where its row says so), and has a row here (and every row a mutation)', () => {
    for (const m of mutations) {
      expect(m.meta, `${m.id} is not built with route()/action()`).toBeDefined();
      expect(m.meta!.readOnly, `${m.id}: read-only exactly when its row says so`).toBe(!!TABLE[m.id]?.readOnly);
      if (m.meta!.readOnly) expect(m.meta!.audit, `${m.id} is read-only and audited`).toBeNull();
      else expect(m.meta!.audit, `${m.id} is not audited`).not.toBeNull();
    }
    expect(mutations.map((m) => m.id).sort()).toEqual(Object.keys(TABLE).sort());
  });

  it('each mutation declares the permission the table expects', () => {
    for (const m of mutations) expect(m.meta!.permission, m.id).toBe(TABLE[m.id].permission);
  });

  for (const who of WHO) {
    it(`${who}: allowed or denied as the permission table says, audited either way`, async () => {
      for (const [id, row] of Object.entries(TABLE)) {
        const cred = callers.get(who)!;
        const headers = new Headers(cred.session ? { cookie: `${SESSION_COOKIE}=${cred.session}` } : {});
        const before = lastAuditId();
        const outcome = await row.call({ who, tag: `${who}-${id.length}`, headers, userId: cred.userId, username: cred.username });
        let audit: AuditRow;
        if (!allowed(who, row.permission) || !(row.alsoNeeds ?? []).every((p) => allowed(who, p))) {
          const denial = who === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
          expect(outcome, `${who} should be denied ${id}`).toEqual({ ok: false, code: denial });
          audit = { result: 'denied', error_code: denial };
        } else if (row.expect) {
          expect(outcome, `${who} should get ${row.expect} from ${id}`).toEqual({ ok: false, code: row.expect });
          audit = { result: 'error', error_code: row.expect };
        } else {
          expect(outcome, `${who} should succeed at ${id}`).toEqual({ ok: true, code: null });
          audit = { result: 'ok', error_code: null };
        }
        if (row.readOnly) {
          expect(anyAuditRowsSince(before), `${id} by ${who}: a read leaves no audit row`).toEqual([]);
          continue;
        }
        const action = mutations.find((m) => m.id === id)!.meta!.audit!;
        expect(auditRowsSince(before, action), `${id} by ${who}: one audit row saying what happened`).toEqual([audit]);
      }
    });
  }

  it('setup creates the first admin on a fresh registry, signs them in and audits it; then it is closed', async () => {
    const fresh = await tempEngine();
    const cookies: string[] = [];
    const setup = mutations.find((m) => m.id === `${A}#setupAction`)!.fn as unknown as {
      runWith: (req: { headers: Headers; cookies: CookieJar }, raw: unknown) => Promise<{ ok: boolean; data?: unknown; error?: { code: string } }>;
    };
    const req = { headers: new Headers(), cookies: { set: (name: string) => void cookies.push(name), delete: () => {} } };
    try {
      await bootstrapAccounts(fresh, undefined);
      installEngine(fresh);
      const first = await setup.runWith(req, { username: 'first', email: 'first@x.test', password: PW });
      expect(first).toEqual({ ok: true, data: { username: 'first' } });
      expect(cookies).toEqual([SESSION_COOKIE]);
      const user = fresh.db.get<{ id: number }>(sql`SELECT id FROM users WHERE username = 'first'`);
      expect(actorForUser(fresh, getUser(fresh, user.id), { sessionId: 'check' }).isAdmin).toBe(true);
      expect(fresh.db.all(sql`SELECT actor, result, error_code FROM audit_events WHERE action = 'auth.setup'`)).toEqual([
        { actor: 'user:first', result: 'ok', error_code: null },
      ]);
      expect(await setup.runWith(req, { username: 'second', email: 'second@x.test', password: PW })).toMatchObject({ ok: false, error: { code: 'SETUP_DONE' } });
      expect(fresh.db.all(sql`SELECT username FROM users`)).toEqual([{ username: 'first' }]);
    } finally {
      installEngine(engine);
      await fresh.cleanup();
    }
  });
});
