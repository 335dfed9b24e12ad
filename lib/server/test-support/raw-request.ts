import http from 'node:http';

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

/**
 * One raw HTTP request to a loopback port: headers sent at once, the body only when given, so a
 * test can hold it back and see that the server answers without reading it.
 */
export function rawRequest(port: number, opts: { method: string; path: string; headers: Record<string, string>; body?: Buffer }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method, path: opts.path, headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.body) req.end(opts.body);
    else req.flushHeaders(); // the body never comes: only an answer before reading it can arrive
  });
}
