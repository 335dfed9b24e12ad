import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { AppError } from '../errors';
import { checkEntryPath } from './check-entry-path';
import { METADATA_SUFFIX } from './parse-entry-metadata';
import { classifyPath } from './resource-type';

export type PackageFileInput = {
  /** Path inside the archive, e.g. "models/model.bin". */
  path: string;
  /** A file path on disk (streamed), a Buffer, or a stream (read once, so no fillResources). */
  source: string | Buffer | NodeJS.ReadableStream;
  /** Deflate this entry. Default false: model weights do not compress. */
  compress?: boolean;
  /** Written beside the entry as `<path>.metadata`. */
  metadata?: Record<string, string>;
};

export type WritePackageInput = {
  /** Written as MANIFEST.json as given (not validated, so tests can write bad manifests). */
  manifest: Record<string, unknown>;
  files: PackageFileInput[];
  /** Replace manifest.resources with the size and sha256 of every file in a type folder. */
  fillResources?: boolean;
};

type FilledResource = { name: string; resource_type: string; size: number; sha256: string };

// Fixed so that the same inputs give byte-identical packages.
const MTIME = new Date('2020-01-01T00:00:00Z');
const FILE_MODE = 0o100644;

async function hashSource(source: string | Buffer): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  if (Buffer.isBuffer(source)) return { size: source.length, sha256: hash.update(source).digest('hex') };
  let size = 0;
  for await (const chunk of createReadStream(source) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest('hex') };
}

async function fillResources(files: PackageFileInput[]): Promise<FilledResource[]> {
  const resources: FilledResource[] = [];
  for (const file of files) {
    const { type, name } = classifyPath(file.path);
    if (type === null) continue;
    if (typeof file.source !== 'string' && !Buffer.isBuffer(file.source)) {
      throw new AppError(
        'INVALID_INPUT',
        `cannot compute the sha256 of ${JSON.stringify(file.path)} ahead of writing: its source is a stream; pass a file path or a Buffer`,
      );
    }
    resources.push({ name, resource_type: type, ...(await hashSource(file.source)) });
  }
  return resources;
}

function checkPaths(files: PackageFileInput[]): void {
  const seen = new Set(['MANIFEST.json']);
  for (const file of files) {
    const paths = file.metadata ? [file.path, file.path + METADATA_SUFFIX] : [file.path];
    for (const path of paths) {
      checkEntryPath(path);
      if (seen.has(path)) throw new AppError('ENTRY_DUPLICATE', `entry ${JSON.stringify(path)} is given more than once`);
      seen.add(path);
    }
  }
}

/** Writes a .torshpkg, streaming file sources. Resolves with the archive size in bytes. */
export async function writePackage(
  out: string | NodeJS.WritableStream,
  input: WritePackageInput,
): Promise<{ bytes: number }> {
  checkPaths(input.files);
  const manifest = input.fillResources ? { ...input.manifest, resources: await fillResources(input.files) } : input.manifest;

  const zip = new yazl.ZipFile();
  const output = zip.outputStream as Readable;
  const fail = (err: Error) => output.destroy(err);
  zip.on('error', fail);
  const options = (compress: boolean) => ({ mtime: MTIME, mode: FILE_MODE, compress });
  const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

  zip.addBuffer(json(manifest), 'MANIFEST.json', options(true));
  for (const file of input.files) {
    const compress = file.compress ?? false;
    if (typeof file.source === 'string') {
      zip.addFile(file.source, file.path, options(compress));
    } else if (Buffer.isBuffer(file.source)) {
      zip.addBuffer(file.source, file.path, options(compress));
    } else {
      // yazl pipes the stream but does not forward its errors.
      file.source.on('error', fail);
      zip.addReadStream(file.source, file.path, options(compress));
    }
    if (file.metadata) zip.addBuffer(json(file.metadata), file.path + METADATA_SUFFIX, options(true));
  }
  zip.end();

  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const dest = typeof out === 'string' ? createWriteStream(out) : out;
  try {
    await pipeline(output, counter, dest);
  } catch (err) {
    if (typeof out === 'string') await rm(out, { force: true });
    throw err;
  }
  return { bytes };
}
