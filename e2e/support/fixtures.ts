import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';

/** The first admin, created at server start from TORSH_ADMIN_PASSWORD (playwright.config.ts). */
export const ADMIN = { username: 'admin', password: process.env.E2E_ADMIN_PASSWORD! };

let cachedToken: Promise<string> | null = null;

/** An admin API token, created once per worker through POST /api/v1/auth/tokens. */
export function adminToken(request: APIRequestContext): Promise<string> {
  cachedToken ??= request
    .post('/api/v1/auth/tokens', { data: { ...ADMIN, name: `e2e-worker-${process.pid}` } })
    .then(async (res) => {
      expect(res.status(), await res.text()).toBe(201);
      return (await res.json()).token as string;
    });
  return cachedToken;
}

export async function signIn(page: Page, username: string, password: string, next = '/'): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** `api`: requests as the admin (bearer token); `request` stays anonymous. `adminPage`: a signed-in browser page. */
export const test = base.extend<{ adminPage: Page }, { api: APIRequestContext }>({
  api: [
    async ({ playwright }, use) => {
      const baseURL = process.env.E2E_BASE_URL;
      const anon = await playwright.request.newContext({ baseURL });
      const token = await adminToken(anon);
      await anon.dispose();
      // One connection per request: a socket kept from an earlier test can be closed by the server's
      // keep-alive timeout just as the next request is written on it (ECONNRESET on a PUT, which is
      // not retried). The context lives for the whole worker, so its idle sockets would.
      const ctx = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}`, connection: 'close' } });
      await use(ctx);
      await ctx.dispose();
    },
    { scope: 'worker' },
  ],
  adminPage: async ({ page }, use) => {
    await signIn(page, ADMIN.username, ADMIN.password);
    await use(page);
  },
});

export { expect };
