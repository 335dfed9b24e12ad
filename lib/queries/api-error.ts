/** An API failure carrying the `{ error: { code, message } }` body the registry answers with. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export const NETWORK_ERROR = 'NETWORK_ERROR';

/** Builds an ApiError from a non-2xx response body, which is not always the registry's JSON (proxies, 404 pages). */
export function apiErrorFrom(status: number, body: string): ApiError {
  const error = parseErrorBody(body);
  if (error) return new ApiError(status, error.code, error.message);
  return new ApiError(status, `HTTP_${status}`, `The server answered with status ${status}`);
}

function parseErrorBody(body: string): { code: string; message: string } | null {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null || !('error' in parsed)) return null;
    const { error } = parsed;
    if (typeof error !== 'object' || error === null) return null;
    const code = 'code' in error && typeof error.code === 'string' ? error.code : null;
    const message = 'message' in error && typeof error.message === 'string' ? error.message : null;
    if (!code || !message) return null;
    return { code, message };
  } catch {
    return null;
  }
}

export async function fetchJson<T>(url: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError(0, NETWORK_ERROR, 'Could not reach the registry server. Check your connection and try again.');
  }
  if (!response.ok) throw apiErrorFrom(response.status, await response.text());
  return (await response.json()) as T;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
