import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '@/lib/engine/actor';
import { bootstrapAccounts } from '@/lib/engine/access/bootstrap';
import { createSession } from '@/lib/engine/access/sessions';
import { createUser } from '@/lib/engine/access/users';
import { tempEngine } from '@/lib/engine/test-support/temp-engine';
import { resolveActor } from './request-context';
import { SESSION_COOKIE, cookieFrom, isHttps } from './session-cookie';

const withCookie = (value: string) => new Headers({ cookie: `theme=dark; ${SESSION_COOKIE}=${value}; other=1` });

describe('session cookie', () => {
  let engine: Awaited<ReturnType<typeof tempEngine>>;
  let token: string;
  beforeAll(async () => {
    engine = await tempEngine();
    await bootstrapAccounts(engine, undefined);
    const { id } = await createUser(engine, { username: 'alice', email: 'a@x.test', password: 'long-enough-pw', roles: ['viewer'] });
    token = createSession(engine, id, { clientAddr: null, userAgent: null }).token;
  });
  afterAll(async () => {
    await engine.cleanup();
  });

  it('reads the named cookie and decodes percent-encoding', () => {
    expect(cookieFrom(withCookie('a%2Bb'), SESSION_COOKIE)).toBe('a+b');
    expect(cookieFrom(withCookie('x'), 'theme')).toBe('dark');
    expect(cookieFrom(withCookie('x'), 'missing')).toBeNull();
    expect(cookieFrom(new Headers(), SESSION_COOKIE)).toBeNull();
  });

  it.each(['%', '%E0%A4%A', '%zz', 'abc%'])('treats bad percent-encoding %j as no cookie', (value) => {
    expect(cookieFrom(withCookie(value), SESSION_COOKIE)).toBeNull();
    expect(resolveActor(engine, withCookie(value))).toBe(ANONYMOUS);
  });

  it('resolves a real session and treats malformed tokens as anonymous, never an error', () => {
    expect(resolveActor(engine, withCookie(token))).toMatchObject({ kind: 'user', name: 'alice' });
    const malformed = [
      '',
      token.slice(0, -1), // one short
      `${token}A`, // one long
      `${token.slice(0, -1)}+`, // standard base64, not base64url
      `${token.slice(0, -1)}/`,
      `${token.slice(0, -2)}==`,
      `${token.slice(0, -1)}%C3%A9`, // é
      `${token.slice(0, -1)}%00`,
      'x'.repeat(10_000),
    ];
    for (const value of malformed) expect(resolveActor(engine, withCookie(value))).toBe(ANONYMOUS);
  });

  it('decides on Secure from the forwarded protocol or a parseable Origin, and survives `Origin: null`', () => {
    expect(isHttps(new Headers({ 'x-forwarded-proto': 'https, http' }))).toBe(true);
    expect(isHttps(new Headers({ origin: 'https://hub.example' }))).toBe(true);
    expect(isHttps(new Headers({ origin: 'http://hub.example' }))).toBe(false);
    expect(isHttps(new Headers({ origin: 'null' }))).toBe(false);
    expect(isHttps(new Headers())).toBe(false);
  });
});
