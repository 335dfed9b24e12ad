// A bare node:http server streaming one file (fs.createReadStream, 1 MiB reads, piped to the
// response): the ceiling any Node server reaches on this machine without sendfile, measured beside
// nginx (which uses sendfile) so a Node server's figure can be read against both.
import path from 'node:path';
import { freePort, startService, type Service } from './service';

const SCRIPT = `
const http = require('node:http'); const fs = require('node:fs'); const { pipeline } = require('node:stream');
const [file, port] = process.argv.slice(1);
const size = fs.statSync(file).size;
http.createServer((req, res) => {
  if (req.url === '/__health') return res.end('ok');
  res.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream' });
  pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), res, () => {});
}).listen(Number(port), '127.0.0.1');
`;

export async function startNodeFileServer(file: string, dir: string): Promise<Service> {
  const port = await freePort();
  return startService({
    name: 'node:http file server',
    cmd: process.execPath,
    args: ['-e', SCRIPT, file, String(port)],
    port,
    healthPath: '/__health',
    logFile: path.join(dir, 'node-file-server.log'),
    timeoutMs: 15_000,
  });
}
