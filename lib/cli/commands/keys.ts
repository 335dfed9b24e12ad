import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { generateSigningKey, keyIdOf, publicKeyFromPrivate } from '../../engine/security/signing';
import { configOf } from '../context';
import { CliError, EXIT, NetworkError } from '../exit-codes';
import { requestJson } from '../http-client';
import { challengeProblem, privateKeyFor, signChallenge } from '../key-proof';
import { note, printJson, say, table } from '../output';
import { readPublicKeyArg } from '../public-key-arg';
import { cleanLine } from '../sanitize';
import { addToTrustFile, keyStatus, readTrustFile, registryTrustedKeys, revokedIds, type TrustedKey } from '../trust';

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
      note(`private key: ${file} (keep it secret)\npublic key:  ${file}.pub\n`);
      say(`key id:     ${key.keyId}\npublic key: ${key.publicKey}\n`);
    });

  const keys = program.command('keys').description('signing keys: register with the registry (with proof), prove, trust locally, list');

  keys
    .command('register')
    .description('register a public key for your account, proving you hold it by signing a challenge from the registry')
    .argument('<key>', 'the private key PEM (from torsh keygen), or its .pub / the base64 public key')
    .requiredOption('--name <name>', 'a label for the key, e.g. "ci"')
    .option('--key <keyfile>', 'the private key that signs the challenge (default: <key> itself, or <keyfile> beside <keyfile>.pub)')
    .option('--json', 'print the registry answer as JSON')
    .action(async (arg: string, opts: { name: string; key?: string; json?: boolean }, cmd: Command) => {
      const cfg = await configOf(cmd);
      const { publicKey } = await readPublicKeyArg(arg);
      const privateKeyPem = await privateKeyFor(arg, publicKey, opts.key);
      const { body: issued } = await requestJson<{ challenge: unknown }>(cfg, { method: 'POST', path: '/api/v1/keys/challenge', json: {} });
      const problem = challengeProblem(issued?.challenge);
      if (problem) throw new CliError(EXIT.INTEGRITY, `the registry's challenge cannot be signed: ${problem}`);
      const challenge = issued.challenge as string;
      const { body } = await requestJson<{ key_id: string; fingerprint: string }>(cfg, {
        method: 'POST',
        path: '/api/v1/keys',
        json: { name: opts.name, public_key: publicKey, challenge, signature: signChallenge(privateKeyPem, challenge) },
      });
      if (opts.json) return printJson(body);
      say(`key id:      ${cleanLine(body.key_id)}\nfingerprint: ${cleanLine(body.fingerprint)}\n`);
    });

  keys
    .command('prove')
    .description("sign a key-registration challenge (the browser's Register key dialog shows one); prints the base64 signature")
    .requiredOption('--key <keyfile>', 'the private key (PEM, from torsh keygen)')
    .requiredOption('--challenge <string>', 'the challenge, exactly as shown')
    .option('--json', 'print the key id, public key and signature as JSON')
    .action(async (opts: { key: string; challenge: string; json?: boolean }) => {
      const problem = challengeProblem(opts.challenge);
      if (problem) throw new CliError(EXIT.USAGE, problem);
      const pem = await readFile(opts.key, 'utf8');
      const signature = signChallenge(pem, opts.challenge);
      const publicKey = publicKeyFromPrivate(pem);
      if (opts.json) return printJson({ key_id: keyIdOf(publicKey), public_key: publicKey, signature });
      note(`signed the challenge with key ${keyIdOf(publicKey)} (public key ${publicKey})\n`);
      say(`${signature}\n`);
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
      note(`trusted key ${keyId} (${cfg.trustFile})\n`);
    });

  keys
    .command('ls')
    .description("list the keys trusted locally and the registry's keys, with the status verify gives them")
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const cfg = await configOf(cmd);
      const local = await readTrustFile(cfg.trustFile);
      let remote: TrustedKey[] = [];
      try {
        remote = (await registryTrustedKeys(cfg)) ?? [];
      } catch (err) {
        if (!(err instanceof NetworkError)) throw err;
        note(`torsh: warning: ${err.message}; showing the local trust file only (revocations not checked)\n`);
      }
      const revoked = revokedIds([...local, ...remote]);
      const withStatus = (keys: TrustedKey[]) => keys.map((k) => ({ ...k, status: keyStatus(k, revoked) }));
      const listed = { local: withStatus(local), registry: withStatus(remote) };
      if (opts.json) return printJson(listed);
      const rows = [
        ['KEY ID', 'SOURCE', 'OWNER', 'STATUS'],
        ...listed.local.map((k) => [k.key_id, 'local', k.owner ?? '-', k.status]),
        ...listed.registry.map((k) => [k.key_id, 'registry', k.owner ?? '-', k.status]),
      ];
      say(`${table(rows)}\n`);
    });
}
