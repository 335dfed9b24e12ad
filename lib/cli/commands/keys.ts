import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { generateSigningKey } from '../../engine/security/signing';
import { configOf, printJson, table } from '../context';
import { requestJson } from '../http-client';
import { readPublicKeyArg } from '../public-key-arg';
import { addToTrustFile, readTrustFile, registryTrustedKeys } from '../trust';

export function registerKeys(program: Command): void {
  program
    .command('keygen')
    .description('create an Ed25519 signing key: the private key PEM (mode 0600) and <keyfile>.pub (base64 public key)')
    .option('-o, --output <keyfile>', 'where to write the private key', 'torsh-signing-key.pem')
    .option('--json', 'print the public key and key id as JSON')
    .action(async (opts: { output: string; json?: boolean }) => {
      const key = generateSigningKey();
      const file = path.resolve(opts.output);
      await writeFile(file, key.privateKeyPem, { mode: 0o600, flag: 'wx' });
      try {
        await writeFile(`${file}.pub`, `${key.publicKey}\n`, { flag: 'wx' });
      } catch (err) {
        await rm(file, { force: true });
        throw err;
      }
      if (opts.json) return printJson({ key_id: key.keyId, public_key: key.publicKey, private_key_file: file, public_key_file: `${file}.pub` });
      process.stderr.write(`private key: ${file} (keep it secret)\npublic key:  ${file}.pub\n`);
      process.stdout.write(`key id:     ${key.keyId}\npublic key: ${key.publicKey}\n`);
    });

  const keys = program.command('keys').description('signing keys: register with the registry, trust locally, list');

  keys
    .command('register')
    .description('register a public key with the registry for your account (publishes signed with it verify)')
    .argument('<pubkey>', 'public key file (.pub, SPKI PEM or the private key PEM) or the base64 key')
    .requiredOption('--name <name>', 'a label for the key, e.g. "ci"')
    .option('--json', 'print the registry answer as JSON')
    .action(async (arg: string, opts: { name: string; json?: boolean }, cmd: Command) => {
      const cfg = await configOf(cmd);
      const { publicKey } = await readPublicKeyArg(arg);
      const { body } = await requestJson<{ key_id: string; fingerprint: string }>(cfg, {
        method: 'POST',
        path: '/api/v1/keys',
        json: { name: opts.name, public_key: publicKey },
      });
      if (opts.json) return printJson(body);
      process.stdout.write(`key id:      ${body.key_id}\nfingerprint: ${body.fingerprint}\n`);
    });

  keys
    .command('trust')
    .description('add a public key to the local trust file (used by download --verify and verify --key-id)')
    .argument('<pubkey>', 'public key file or base64 key')
    .option('--owner <name>', 'who the key belongs to (a note)')
    .action(async (arg: string, opts: { owner?: string }, cmd: Command) => {
      const cfg = await configOf(cmd);
      const { publicKey, keyId } = await readPublicKeyArg(arg);
      await addToTrustFile(cfg.trustFile, { key_id: keyId, public_key: publicKey, ...(opts.owner ? { owner: opts.owner } : {}) });
      process.stderr.write(`trusted key ${keyId} (${cfg.trustFile})\n`);
    });

  keys
    .command('ls')
    .description("list the keys trusted locally and the registry's keys")
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const cfg = await configOf(cmd);
      const local = await readTrustFile(cfg.trustFile);
      const remote = (await registryTrustedKeys(cfg)) ?? [];
      if (opts.json) return printJson({ local, registry: remote });
      const rows = [
        ['KEY ID', 'SOURCE', 'OWNER', 'STATUS'],
        ...local.map((k) => [k.key_id, 'local', k.owner ?? '-', 'trusted']),
        ...remote.map((k) => [k.key_id, 'registry', k.owner ?? '-', k.revoked ? 'revoked' : 'trusted']),
      ];
      process.stdout.write(`${table(rows)}\n`);
    });
}
