import { readFile } from 'node:fs/promises';
import { CliError, EXIT } from '../exit-codes';
import { promptLine } from '../prompt';

export const PASSWORD_ENV = 'TORSH_BACKUP_PASSWORD';
export const NEW_PASSWORD_ENV = 'TORSH_BACKUP_NEW_PASSWORD';

type Source = {
  /** --password-file / --new-password-file. */
  file?: string;
  /** The environment variable tried after the file. */
  envName: string;
  /** The flag named in the error when there is no password and no terminal. */
  flag: string;
  /** What the prompt asks for. */
  what: string;
  /** A new password: asked twice on a terminal. */
  confirm?: boolean;
};

/** The file's first line (a trailing newline is not part of the password, as with restic). */
async function readPasswordFile(file: string, flag: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new CliError(EXIT.USAGE, `cannot read ${flag} ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  return text.split(/\r?\n/)[0];
}

/** A repository password: the file flag, then the environment variable, then a hidden prompt on a terminal. */
export async function backupPassword(source: Source): Promise<string> {
  let password: string;
  if (source.file !== undefined) {
    password = await readPasswordFile(source.file, source.flag);
  } else if (process.env[source.envName]) {
    password = process.env[source.envName] as string;
  } else {
    if (!process.stdin.isTTY) {
      throw new CliError(EXIT.USAGE, `no ${source.what.toLowerCase()}: set ${source.envName} or pass ${source.flag} (stdin is not a terminal, so it cannot be asked)`);
    }
    password = await promptLine(`${source.what}: `, true);
    if (source.confirm && (await promptLine(`Repeat ${source.what.toLowerCase()}: `, true)) !== password) {
      throw new CliError(EXIT.USAGE, 'the passwords do not match');
    }
  }
  if (!password) throw new CliError(EXIT.USAGE, `the ${source.what.toLowerCase()} is empty`);
  return password;
}
