import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { keyIdOf, publicKeyFromPrivate, signDigest, verifyDigest } from '../../engine/security/signing';
import { configOf } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { sha256File } from '../hash-file';
import { note, printJson, say } from '../output';
import { readPublicKeyArg } from '../public-key-arg';
import { lookupKey } from '../trust';

type VerifyOpts = { signature?: string; sigFile?: string; publicKey?: string; keyId?: string; json?: boolean };

export function registerSign(program: Command): void {
  program
    .command('sign')
    .description("sign a file's sha256 digest with an Ed25519 private key; prints the base64 signature")
    .argument('<file>', 'the file to sign (usually a .torshpkg)')
    .requiredOption('--key <keyfile>', 'the private key (PEM, from torsh keygen)')
    .option('-o, --output <sigfile>', 'write the signature to this file instead of stdout')
    .action(async (file: string, opts: { key: string; output?: string }) => {
      const pem = await readFile(opts.key, 'utf8');
      const { hex } = await sha256File(file);
      const signature = signDigest(pem, hex);
      const keyId = keyIdOf(publicKeyFromPrivate(pem));
      if (opts.output) {
        await writeFile(opts.output, `${signature}\n`);
        note(`signed sha256:${hex} with key ${keyId} → ${opts.output}\n`);
      } else {
        note(`signed sha256:${hex} with key ${keyId}\n`);
        say(`${signature}\n`);
      }
    });

  program
    .command('verify')
    .description("check a file's signature locally (exit 7 when it does not verify)")
    .argument('<file>', 'the signed file')
    .option('--signature <base64>', 'the signature')
    .option('--sig-file <file>', 'a file holding the signature')
    .option('--public-key <key>', 'public key file or base64')
    .option('--key-id <id>', 'look the key up in the local trust file, then the registry')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: VerifyOpts, cmd: Command) => {
      if (!opts.signature === !opts.sigFile) throw new CliError(EXIT.USAGE, 'give exactly one of --signature and --sig-file');
      if (!opts.publicKey === !opts.keyId) throw new CliError(EXIT.USAGE, 'give exactly one of --public-key and --key-id');
      const signature = (opts.signature ?? (await readFile(opts.sigFile!, 'utf8'))).trim();
      let publicKey: string;
      let keyId: string;
      if (opts.publicKey) {
        ({ publicKey, keyId } = await readPublicKeyArg(opts.publicKey));
      } else {
        const cfg = await configOf(cmd);
        const found = await lookupKey(cfg, opts.keyId!, { registry: true });
        if (found.status === 'unknown') throw new CliError(EXIT.INTEGRITY, `key ${opts.keyId} is neither in ${cfg.trustFile} nor one of the registry's keys`);
        if (found.status === 'revoked') throw new CliError(EXIT.INTEGRITY, `key ${opts.keyId} has been revoked`);
        publicKey = found.key.public_key;
        keyId = found.key.key_id;
      }
      const { hex } = await sha256File(file);
      const ok = verifyDigest(publicKey, hex, signature);
      if (!ok) throw new CliError(EXIT.INTEGRITY, `the signature of ${file} (sha256:${hex}) does not verify with key ${keyId}: the file was modified or signed with another key`);
      if (opts.json) return printJson({ file, digest: `sha256:${hex}`, key_id: keyId, valid: true });
      say(`ok: ${file} (sha256:${hex}) is signed by key ${keyId}\n`);
    });
}
