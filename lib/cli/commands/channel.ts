import type { Command } from 'commander';
import { isValidVersion } from '../../engine/format';
import { isChannelName } from '../channel-name';
import { configOf, packageName } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { enc, requestJson } from '../http-client';
import { note, printJson, say, table } from '../output';

type Channel = { name: string; version: string; updated_at: number; updated_by: string | null };

function channelName(channel: string): string {
  if (!isChannelName(channel)) {
    throw new CliError(EXIT.USAGE, `invalid channel name ${JSON.stringify(channel)}: a lower-case letter, then up to 31 of a-z 0-9 -, not a route word such as "latest"`);
  }
  return channel;
}

const channelsPath = (name: string) => `/api/v1/packages/${enc(name)}/channels`;
const when = (ms: unknown) => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z') : '-');

export function registerChannel(program: Command): void {
  const channel = program.command('channel').description('channels: named aliases (stable, production, …) that point at a version of a package');

  channel
    .command('ls')
    .description("list a package's channels and the versions they point at")
    .argument('<name>', 'the package')
    .option('--json', 'print the registry answer as JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      const cfg = await configOf(cmd);
      const { body } = await requestJson<{ channels: Channel[] }>(cfg, { method: 'GET', path: channelsPath(packageName(name)) });
      if (opts.json) return printJson(body);
      const channels = Array.isArray(body?.channels) ? body.channels : [];
      if (channels.length === 0) return note(`${name} has no channels\n`);
      const rows = [['CHANNEL', 'VERSION', 'UPDATED', 'BY'], ...channels.map((c) => [c.name, c.version, when(c.updated_at), c.updated_by ?? '-'])];
      say(`${table(rows)}\n`);
    });

  channel
    .command('set')
    .description('point a channel at a version (created if new; moved atomically, the move is kept in its history)')
    .argument('<name>', 'the package')
    .argument('<channel>', 'the channel, e.g. production')
    .argument('<version>', 'an exact version of the package')
    .option('--json', 'print the registry answer as JSON')
    .action(async (name: string, chan: string, version: string, opts: { json?: boolean }, cmd: Command) => {
      if (!isValidVersion(version)) throw new CliError(EXIT.USAGE, `expected an exact version, got ${JSON.stringify(version)}`);
      const path = `${channelsPath(packageName(name))}/${enc(channelName(chan))}`;
      const cfg = await configOf(cmd);
      const { body } = await requestJson(cfg, { method: 'PUT', path, json: { version } });
      if (opts.json) return printJson(body);
      note(`${name}@${chan} → ${version}\n`);
    });

  channel
    .command('rm')
    .description('remove a channel (the versions stay)')
    .argument('<name>', 'the package')
    .argument('<channel>', 'the channel')
    .option('--json', 'print the registry answer as JSON')
    .action(async (name: string, chan: string, opts: { json?: boolean }, cmd: Command) => {
      const path = `${channelsPath(packageName(name))}/${enc(channelName(chan))}`;
      const cfg = await configOf(cmd);
      const { body } = await requestJson(cfg, { method: 'DELETE', path });
      if (opts.json) return printJson(body);
      note(`removed channel ${chan} of ${name}\n`);
    });
}
