// A throwaway nginx serving one folder on a loopback port: the reference for downloads.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, startService, type Service } from './service';

/** Serves `root` (static files, sendfile, no access log) until stop(); config, pid and logs live in `dir`. */
export async function startNginx(root: string, dir: string): Promise<Service> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const temp = (name: string) => path.join(dir, name);
  const conf = path.join(dir, 'nginx.conf');
  // Workers run as root when we are root: they must read files in our 0700 temp dirs.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  writeFileSync(
    conf,
    `${user}daemon off;
worker_processes auto;
pid ${temp('nginx.pid')};
error_log ${temp('error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type application/octet-stream;
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location = /__health { return 200 "ok"; }
  }
}
`,
  );
  return startService({
    name: 'nginx',
    cmd: 'nginx',
    args: ['-p', dir, '-c', conf, '-e', temp('error.log')],
    port,
    healthPath: '/__health',
    logFile: temp('stdout.log'),
    timeoutMs: 15_000,
  });
}
