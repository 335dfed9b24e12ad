/** A JSON client for the API tests: every response's text is kept, so a test can check that no secret ever left. */
export type JsonApiOptions = { token?: string | null; body?: unknown };
export type JsonApiResponse = { status: number; headers: Headers; text: string; json: any };

/**
 * `api(method, '/path', { token, body })` against `${baseUrl()}/api/v1`; a token left out is
 * `defaultToken()` (null sends none). The getters are read per call: the server starts in beforeAll.
 */
export function jsonApi(baseUrl: () => string, defaultToken: () => string | null = () => null) {
  const responses: string[] = [];
  async function api(method: string, p: string, o: JsonApiOptions = {}): Promise<JsonApiResponse> {
    const token = o.token === undefined ? defaultToken() : o.token;
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl()}/api/v1${p}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
    const text = await res.text();
    responses.push(text);
    return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : null };
  }
  return { api, responses };
}
