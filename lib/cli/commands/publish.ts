import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import type { Command } from 'commander';
import { isValidPackageName, isValidVersion, readPackage } from '../../engine/format';
import { isEncryptedPackage } from '../../engine/security/encryption';
import { keyIdOf, publicKeyFromPrivate, signDigest } from '../../engine/security/signing';
import type { Config } from '../config';
import { configOf } from '../context';
import { CliError, EXIT, HttpError } from '../exit-codes';
import { sha256File, bareDigest } from '../hash-file';
import { enc, httpErrorFrom, readText, retryNotice, sendOnce, requestJson } from '../http-client';
import { note, printJson, say } from '../output';
import { createProgress, formatSize } from '../progress';
import { withRetries } from '../retry';
import { cleanLine } from '../sanitize';
import { firstBytes } from './inspect';

type PublishOpts = { sign?: string; name?: string; version?: string; description?: string; json?: boolean };
type PublishAnswer = { name: string; version: string; digest: string; size: number };

/** Name and version of the upload: from the manifest (validated locally), or the flags for an encrypted file. */
async function coordinates(file: string, opts: PublishOpts): Promise<{ name: string; version: string; encrypted: boolean }> {
  if (isEncryptedPackage(await firstBytes(file))) {
    if (!opts.name || !opts.version) {
      throw new CliError(EXIT.USAGE, `${file} is encrypted, so its manifest cannot be read: give --name and --version`);
    }
    if (!isValidPackageName(opts.name)) throw new CliError(EXIT.VALIDATION, `invalid package name ${JSON.stringify(opts.name)}`, 'INVALID_PACKAGE_NAME');
    if (!isValidVersion(opts.version)) throw new CliError(EXIT.VALIDATION, `invalid version ${JSON.stringify(opts.version)}`, 'INVALID_VERSION');
    return { name: opts.name, version: opts.version, encrypted: true };
  }
  const { manifest } = await readPackage(file);
  for (const [flag, given, actual] of [
    ['--name', opts.name, manifest.name],
    ['--version', opts.version, manifest.version],
  ] as const) {
    if (given !== undefined && given !== actual) {
      throw new CliError(EXIT.USAGE, `${flag} ${given} does not match the manifest (${actual})`);
    }
  }
  return { name: manifest.name, version: manifest.version, encrypted: false };
}

async function signatureHeaders(keyFile: string, digest: string): Promise<Record<string, string>> {
  const pem = await readFile(keyFile, 'utf8');
  return { 'x-torsh-signature': signDigest(pem, digest), 'x-torsh-key-id': keyIdOf(publicKeyFromPrivate(pem)) };
}

/** Streams the file with a PUT (Content-Length set), retrying network errors and 5xx from the start. */
async function upload(cfg: Config, file: string, name: string, version: string, headers: Record<string, string>): Promise<{ answer: PublishAnswer; localDigest: string; repeated: boolean }> {
  const { size } = await stat(file);
  const label = `${name}@${version}`;
  const path = `/api/v1/packages/${enc(name)}/${enc(version)}`;
  const progress = createProgress(`publishing ${label}`, { total: size });
  let localDigest = '';
  try {
    const result = await withRetries(
      async (attempt) => {
        const hash = createHash('sha256');
        const res = await sendOnce(cfg, {
          method: 'PUT',
          path,
          headers,
          body: {
            length: size,
            onProgress: (n) => progress.update(n),
            open: () => {
              const source = createReadStream(file, { highWaterMark: 1 << 20 });
              const hasher = new Transform({
                highWaterMark: 1 << 20,
                transform(chunk: Buffer, _enc, cb) {
                  hash.update(chunk);
                  cb(null, chunk);
                },
                flush(cb) {
                  localDigest = hash.digest('hex');
                  cb();
                },
              });
              source.on('error', (err) => hasher.destroy(err));
              return source.pipe(hasher);
            },
          },
        });
        const status = res.statusCode ?? 0;
        if (status === 409 && attempt > 0) {
          // An earlier attempt may have gone through before its answer was lost.
          res.resume();
          return { answer: null, repeated: true };
        }
        if (status < 200 || status > 299) throw await httpErrorFrom(res, cfg.registry);
        return { answer: JSON.parse(await readText(res, cfg.registry)) as PublishAnswer, repeated: false };
      },
      {
        retries: cfg.retries,
        onRetry: (err, n, delay) => {
          progress.interrupt();
          retryNotice(err, n, delay);
        },
      },
    );
    if (result.repeated) {
      const { body } = await requestJson<PublishAnswer>(cfg, { method: 'GET', path });
      if (!localDigest) localDigest = (await sha256File(file)).hex;
      if (bareDigest(body.digest) !== localDigest) {
        throw new HttpError(409, `${label} is already published (with other bytes)`, 'PACKAGE_VERSION_EXISTS');
      }
      progress.finish('an earlier attempt had gone through');
      return { answer: body, localDigest, repeated: true };
    }
    progress.finish();
    return { answer: result.answer!, localDigest, repeated: false };
  } catch (err) {
    progress.abort();
    throw err;
  }
}

/** How the registry judged the signature; a warning says what to do when it is not "verified". */
async function recordedSignatureStatus(cfg: Config, name: string, version: string): Promise<string | null> {
  try {
    const { body } = await requestJson<{ signature: { key_id: string; status: string } | null }>(cfg, { method: 'GET', path: `/api/v1/packages/${enc(name)}/${enc(version)}` });
    const status = body.signature?.status ?? null;
    if (status && status !== 'verified') {
      const hint = status === 'unknown_key' ? `: register the public key with \`torsh keys register <key>.pub --name <label>\`` : '';
      note(`torsh: warning: the registry recorded the signature as ${cleanLine(status)}${hint}\n`);
    }
    return status;
  } catch {
    return null;
  }
}

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description('upload a .torshpkg to the registry (validated locally first; streamed)')
    .argument('<file>', 'the package file')
    .option('--sign <keyfile>', 'sign the package digest with this Ed25519 private key (PEM)')
    .option('--name <name>', 'package name (required for an encrypted package)')
    .option('--version <version>', 'package version (required for an encrypted package)')
    .option('--description <text>', 'description shown for an encrypted package')
    .option('--json', 'print the registry answer as JSON')
    .action(async (file: string, opts: PublishOpts, cmd: Command) => {
      const cfg = await configOf(cmd);
      const [{ name, version, encrypted }, signedDigest] = await Promise.all([
        coordinates(file, opts),
        opts.sign ? sha256File(file).then((d) => d.hex) : Promise.resolve(null),
      ]);
      const headers: Record<string, string> = {};
      if (opts.sign && signedDigest) Object.assign(headers, await signatureHeaders(opts.sign, signedDigest));
      if (encrypted) {
        headers['x-torsh-encrypted'] = '1';
        if (opts.description) headers['x-torsh-description'] = encodeURIComponent(opts.description);
      }
      const { answer, localDigest } = await upload(cfg, file, name, version, headers);
      const served = bareDigest(answer.digest);
      if (served !== localDigest || (signedDigest && served !== signedDigest)) {
        throw new CliError(EXIT.INTEGRITY, `the registry recorded ${cleanLine(answer.digest)} for ${name}@${version}, but the file has sha256:${localDigest}`);
      }
      const signatureStatus = opts.sign ? await recordedSignatureStatus(cfg, name, version) : null;
      if (opts.json) return printJson({ ...answer, signed: Boolean(opts.sign), signature_status: signatureStatus, encrypted });
      note(
        `published ${name}@${version} (${formatSize(answer.size)}${opts.sign ? `, signed with key ${headers['x-torsh-key-id']}` : ''}${encrypted ? ', encrypted' : ''})\n`,
      );
      say(`sha256:${localDigest}\n`);
    });
}
