import { Command, CommanderError, Option } from 'commander';
import { registerBackup } from './commands/backup';
import { registerCache } from './commands/cache';
import { registerChannel } from './commands/channel';
import { registerCrypt } from './commands/crypt';
import { registerDelete } from './commands/delete';
import { registerDownload } from './commands/download';
import { registerInspect } from './commands/inspect';
import { registerKeys } from './commands/keys';
import { registerLogin } from './commands/login';
import { registerPack } from './commands/pack';
import { registerPublish } from './commands/publish';
import { registerSearch } from './commands/search';
import { registerServe } from './commands/serve';
import { registerSign } from './commands/sign';
import { registerYank } from './commands/yank';
import { DEFAULT_FAILOVER, DEFAULT_REGISTRY, DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS } from './config';
import { describeError, EXIT, EXIT_CODES_HELP } from './exit-codes';
import { note } from './output';
import { cleanText } from './sanitize';
import { CLI_VERSION } from './version';

const CONFIG_HELP = `Configuration (flags, then environment, then the config file):
  --registry / TORSH_REGISTRY / "registry"      default ${DEFAULT_REGISTRY}
  --token / TORSH_TOKEN / "token"               API token (torsh login saves one)
  --timeout / TORSH_TIMEOUT_MS / "timeout_ms"   inactivity timeout, default ${DEFAULT_TIMEOUT_MS} ms
  --retries / TORSH_RETRIES / "retries"         retries of network errors and 5xx, default ${DEFAULT_RETRIES}
  TORSH_CACHE_DIR / "cache_dir" (default $XDG_CACHE_HOME/torsh, ~/.cache/torsh)
  TORSH_CACHE_MAX_BYTES / "cache_max_bytes" (default 10 GiB)
  download failover ("failover": {...} in the config file; see torsh download --help):
    --no-failover / TORSH_FAILOVER / "enabled"                     default on
    --max-retries / TORSH_FAILOVER_MAX_RETRIES / "max_retries"     default ${DEFAULT_FAILOVER.maxRetries}
    --retry-delay / TORSH_FAILOVER_RETRY_DELAY_MS / "retry_delay_ms"  default ${DEFAULT_FAILOVER.retryDelayMs} ms
    --no-failback / TORSH_FAILBACK / "failback"                    default on
    --attempt-timeout / TORSH_FAILOVER_ATTEMPT_TIMEOUT_MS / "attempt_timeout_ms"  default ${DEFAULT_FAILOVER.attemptTimeoutMs} ms
    --region / TORSH_REGION / "region"                             default: the registry decides
  config file: $TORSH_CONFIG or $XDG_CONFIG_HOME/torsh/config.json (~/.config/torsh/config.json);
  trust file: $TORSH_TRUST_FILE or $XDG_CONFIG_HOME/torsh/trusted_keys.json
  TORSH_DEBUG=1 adds stack traces to errors`;

/** The options every command accepts, after its name or before it. */
function globalOptions(): Option[] {
  return [
    new Option('--registry <url>', 'registry base URL'),
    new Option('--token <token>', 'API token'),
    new Option('--timeout <ms>', 'abandon a request after this long without data'),
    new Option('--retries <n>', 'retries of network errors and 5xx'),
  ];
}

function leaves(cmd: Command): Command[] {
  return cmd.commands.length === 0 ? [cmd] : cmd.commands.flatMap(leaves);
}

function all(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(all)];
}

export function buildProgram(): Command {
  const program = new Command('torsh')
    .description('Client of a ToRSh Package Hub: pack, publish, download, sign and encrypt .torshpkg packages')
    .version(CLI_VERSION, '-V, --version', 'print the CLI version')
    // Program options end at the command name, so `publish --version 1.2.0` is the command's.
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', `\n${CONFIG_HELP}\n\n${EXIT_CODES_HELP}\n`);
  for (const option of globalOptions()) program.addOption(option);

  registerLogin(program);
  registerPack(program);
  registerInspect(program);
  registerPublish(program);
  registerDownload(program);
  registerSearch(program);
  registerYank(program);
  registerDelete(program);
  registerChannel(program);
  registerKeys(program);
  registerSign(program);
  registerCrypt(program);
  registerCache(program);
  registerServe(program);
  registerBackup(program);

  for (const cmd of leaves(program)) {
    // `torsh backup` works on a data directory and a repository, never on a registry over HTTP.
    if (cmd.parent?.name() !== 'backup' && cmd.parent?.parent?.name() !== 'backup') {
      for (const option of globalOptions()) cmd.addOption(option);
    }
    cmd.addHelpText('after', `\n${EXIT_CODES_HELP}\n`);
  }
  for (const cmd of all(program)) {
    cmd.exitOverride();
    cmd.configureOutput({ outputError: (str, write) => write(cleanText(str.replace(/^error: /, 'torsh: '))) });
  }
  return program;
}

/** Runs the CLI on `argv` (node's, with the interpreter and script first); resolves with the exit code. */
export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    const { exitCode, message } = describeError(err);
    note(`torsh: ${message}\n`);
    if (process.env.TORSH_DEBUG && err instanceof Error) note(`${err.stack}\n`);
    return exitCode;
  }
}
