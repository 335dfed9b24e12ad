import type { IncomingHttpHeaders } from 'node:http';

/** A node request's headers as web Headers (repeated headers stay repeated). */
export function headersFromNode(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}
