import type { IncomingHttpHeaders } from 'node:http';

/** A node request's headers as web Headers (repeated headers stay repeated). */
export function headersFromNode(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.append(name, value);
  }
  return headers;
}
