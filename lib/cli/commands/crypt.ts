import { access } from 'node:fs/promises';
import type { Command } from 'commander';
import { cryptFile } from '../crypt-file';
import { CliError, EXIT } from '../exit-codes';
import { say } from '../output';
import { obtainPassword } from '../prompt';

type CryptOpts = { output?: string; passwordStdin?: boolean; force?: boolean };

async function checkOutput(output: string, force?: boolean): Promise<void> {
  if (force) return;
  const exists = await access(output).then(() => true, () => false);
  if (exists) throw new CliError(EXIT.USAGE, `${output} exists; pass --force to overwrite it`);
}

function defaultDecryptedName(input: string): string {
  return input.endsWith('.enc') ? input.slice(0, -'.enc'.length) : `${input}.decrypted`;
}

export function registerCrypt(program: Command): void {
  program
    .command('encrypt')
    .description('encrypt a file with a password (AES-256-GCM, scrypt key; the registry stores it opaquely)')
    .argument('<in>', 'the file to encrypt')
    .option('-o, --output <file>', 'the encrypted file (default: <in>.enc)')
    .option('--password-stdin', 'read the password from stdin (else $TORSH_PASSWORD, else a prompt)')
    .option('--force', 'overwrite the output file')
    .action(async (input: string, opts: CryptOpts) => {
      const output = opts.output ?? `${input}.enc`;
      await access(input);
      await checkOutput(output, opts.force);
      const password = await obtainPassword({ stdin: opts.passwordStdin, envName: 'TORSH_PASSWORD', confirm: true });
      await cryptFile('encrypt', input, output, password);
      say(`${output}\n`);
    });

  program
    .command('decrypt')
    .description('decrypt a file made by torsh encrypt (exit 7 on a wrong password or a modified file; nothing is written)')
    .argument('<in>', 'the encrypted file')
    .option('-o, --output <file>', 'the decrypted file (default: <in> without .enc)')
    .option('--password-stdin', 'read the password from stdin (else $TORSH_PASSWORD, else a prompt)')
    .option('--force', 'overwrite the output file')
    .action(async (input: string, opts: CryptOpts) => {
      const output = opts.output ?? defaultDecryptedName(input);
      await access(input);
      await checkOutput(output, opts.force);
      const password = await obtainPassword({ stdin: opts.passwordStdin, envName: 'TORSH_PASSWORD' });
      await cryptFile('decrypt', input, output, password);
      say(`${output}\n`);
    });
}
