import type { IncomingHttpHeaders } from 'node:http';

/** node:http's parsed request headers as a web Headers object (repeated headers appended). */
export function nodeHeadersToWeb(headers: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const value of v) out.append(k, value);
    else out.append(k, v);
  }
  return out;
}
