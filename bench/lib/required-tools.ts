// The registry benchmark needs wrk, nginx and curl, the backup benchmark restic: installed from Debian's packages when missing
// and we are root, otherwise a clear error naming what to install.
import { hasCommand } from './reference';
import { runChecked } from './run-command';

const PACKAGES: Record<string, string> = { wrk: 'wrk', nginx: 'nginx', curl: 'curl', openssl: 'openssl', restic: 'restic' };

/** `only`: the commands a caller needs (default: the registry benchmark's; restic only when asked). */
export async function ensureTools(log: (msg: string) => void, only: readonly string[] = ['wrk', 'nginx', 'curl', 'openssl']): Promise<void> {
  const missing = only.filter((cmd) => !hasCommand(cmd));
  if (missing.length === 0) return;
  const pkgs = missing.map((cmd) => PACKAGES[cmd]);
  if (process.getuid?.() !== 0) throw new Error(`missing ${missing.join(', ')}: install them (apt-get install -y ${pkgs.join(' ')}) and run again`);
  log(`installing ${pkgs.join(', ')} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runChecked('apt-get', ['update', '-qq'], { env });
  await runChecked('apt-get', ['install', '-y', '-qq', ...pkgs], { env });
  const still = missing.filter((cmd) => !hasCommand(cmd));
  if (still.length > 0) throw new Error(`apt-get did not provide ${still.join(', ')}`);
}
