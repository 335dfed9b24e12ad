/** The password the benchmarks give the server's first admin (TORSH_ADMIN_PASSWORD). */
export const BENCH_ADMIN_PASSWORD = 'bench-admin-password';

/** A bearer token for the server's admin (POST /api/v1/auth/tokens). */
export async function adminToken(baseUrl: string, name: string, password = BENCH_ADMIN_PASSWORD): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password, name }),
  });
  if (res.status !== 201) throw new Error(`creating a token answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
