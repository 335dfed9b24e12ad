import { CliError, EXIT } from './exit-codes';

/** All of stdin as text without the trailing newline (for --password-stdin). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

// What arrived after the end of the last line read (pasted or typed ahead): the next prompt's start.
let typedAhead = '';

/** Reads a line from the terminal; `hidden` does not echo (passwords). Needs stdin to be a TTY. */
export function promptLine(question: string, hidden = false): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new CliError(EXIT.USAGE, `cannot prompt for ${question.replace(/[:\s]+$/, '').toLowerCase()}: stdin is not a terminal`);
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (data: string) => {
      const chars = [...data];
      for (const [i, ch] of chars.entries()) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          typedAhead = chars.slice(i + 1).join('').replace(/^\n/, '');
          return done();
        }
        if (ch === '\u0003') return done(new CliError(EXIT.USAGE, 'interrupted'));
        if (ch === '\u007f' || ch === '\b') {
          if (value.length > 0) {
            value = value.slice(0, -1);
            if (!hidden) process.stderr.write('\b \b');
          }
          continue;
        }
        value += ch;
        if (!hidden) process.stderr.write(ch);
      }
    };
    stdin.on('data', onData);
    if (typedAhead) {
      const ahead = typedAhead;
      typedAhead = '';
      onData(ahead);
    }
  });
}

/** A password from --password-stdin, then $envName, then a hidden prompt (twice when `confirm`). */
export async function obtainPassword(opts: { stdin?: boolean; envName?: string; confirm?: boolean; what?: string }): Promise<string> {
  const what = opts.what ?? 'Password';
  let password: string | undefined;
  if (opts.stdin) password = await readStdin();
  else if (opts.envName && process.env[opts.envName]) password = process.env[opts.envName];
  else {
    if (!process.stdin.isTTY) {
      throw new CliError(EXIT.USAGE, `no password: use --password-stdin${opts.envName ? ` or set ${opts.envName}` : ''} (stdin is not a terminal)`);
    }
    password = await promptLine(`${what}: `, true);
    if (opts.confirm && (await promptLine(`Repeat ${what.toLowerCase()}: `, true)) !== password) {
      throw new CliError(EXIT.USAGE, 'the passwords do not match');
    }
  }
  if (!password) throw new CliError(EXIT.USAGE, 'the password is empty');
  return password;
}
