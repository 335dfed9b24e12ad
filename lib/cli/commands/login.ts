import os from 'node:os';
import type { Command } from 'commander';
import { updateConfigFile } from '../config';
import { configOf } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { requestJson } from '../http-client';
import { note } from '../output';
import { promptLine, readStdin } from '../prompt';

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('get an API token with a username and password and save it in the config file (mode 0600)')
    .option('--username <name>', 'account name (prompted for when stdin is a terminal)')
    .option('--password-stdin', 'read the password from stdin')
    .action(async (opts: { username?: string; passwordStdin?: boolean }, cmd: Command) => {
      const cfg = await configOf(cmd);
      const username = opts.username ?? (process.stdin.isTTY ? await promptLine('Username: ') : undefined);
      if (!username) throw new CliError(EXIT.USAGE, 'give --username (stdin is not a terminal)');
      let password: string;
      if (opts.passwordStdin) password = await readStdin();
      else if (process.stdin.isTTY) password = await promptLine('Password: ', true);
      else throw new CliError(EXIT.USAGE, 'give --password-stdin (stdin is not a terminal)');
      const { body } = await requestJson<{ token: string }>(cfg, {
        method: 'POST',
        path: '/api/v1/auth/tokens',
        json: { username, password, name: `torsh-cli@${os.hostname()}` },
        auth: false,
      });
      await updateConfigFile(cfg.configFile, { registry: cfg.registry, token: body.token });
      note(`Logged in to ${cfg.registry} as ${username}; token saved in ${cfg.configFile}\n`);
    });
}
