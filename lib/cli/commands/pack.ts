import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { FORMAT_VERSION, writePackage, ZManifest, type PackageFileInput } from '../../engine/format';
import { CliError, EXIT } from '../exit-codes';
import { note, printJson, say } from '../output';
import { formatSize } from '../progress';

const TYPE_FOLDERS = ['models', 'src', 'data', 'config', 'docs', 'resources'];
/** Text-like folders are deflated; weights and data are stored (they do not compress). */
const COMPRESSED_FOLDERS = new Set(['src', 'config', 'docs']);
const METADATA_SUFFIX = '.metadata';

async function readManifest(dir: string): Promise<{ file: string; manifest: Record<string, unknown> }> {
  for (const name of ['manifest.json', 'MANIFEST.json']) {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    try {
      const manifest = JSON.parse(text) as unknown;
      if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) throw new Error('not a JSON object');
      return { file, manifest: manifest as Record<string, unknown> };
    } catch (err) {
      throw new CliError(EXIT.VALIDATION, `${file} is not valid JSON: ${(err as Error).message}`, 'MANIFEST_INVALID');
    }
  }
  throw new CliError(EXIT.USAGE, `${dir} has no manifest.json (or MANIFEST.json)`);
}

/** Regular files under a type folder (symlinks followed), as archive paths, sorted. */
async function collect(dir: string, folder: string): Promise<string[]> {
  const root = path.join(dir, folder);
  const found: string[] = [];
  const walk = async (rel: string) => {
    let entries;
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && rel === '') return;
      throw err;
    }
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      const s = await stat(path.join(root, child));
      if (s.isDirectory()) await walk(child);
      else if (s.isFile()) found.push(`${folder}/${child}`);
    }
  };
  await walk('');
  return found.sort();
}

async function collectFiles(dir: string): Promise<PackageFileInput[]> {
  const paths = (await Promise.all(TYPE_FOLDERS.map((f) => collect(dir, f)))).flat();
  const all = new Set(paths);
  const files: PackageFileInput[] = [];
  for (const p of paths) {
    if (p.endsWith(METADATA_SUFFIX) && all.has(p.slice(0, -METADATA_SUFFIX.length))) continue;
    const file: PackageFileInput = { path: p, source: path.join(dir, p), compress: COMPRESSED_FOLDERS.has(p.split('/')[0]) };
    if (all.has(p + METADATA_SUFFIX)) {
      const metaFile = path.join(dir, p + METADATA_SUFFIX);
      try {
        const meta = JSON.parse(await readFile(metaFile, 'utf8')) as Record<string, unknown>;
        if (meta === null || typeof meta !== 'object' || Array.isArray(meta) || Object.values(meta).some((v) => typeof v !== 'string')) {
          throw new Error('must be a JSON object of strings');
        }
        file.metadata = meta as Record<string, string>;
      } catch (err) {
        throw new CliError(EXIT.VALIDATION, `${metaFile}: ${(err as Error).message}`, 'MANIFEST_INVALID');
      }
    }
    files.push(file);
  }
  return files;
}

export async function packDirectory(dir: string, output?: string): Promise<{ path: string; sha256: string; bytes: number; name: string; version: string; files: number }> {
  const { file: manifestFile, manifest: raw } = await readManifest(dir);
  const manifest = {
    modules: [],
    dependencies: {},
    metadata: {},
    ...raw,
    format_version: FORMAT_VERSION,
    created_at: new Date().toISOString(),
    resources: [],
  };
  const parsed = ZManifest.safeParse(manifest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'manifest';
    const code = field === 'name' ? 'MANIFEST_NAME_INVALID' : field === 'version' ? 'MANIFEST_VERSION_INVALID' : 'MANIFEST_INVALID';
    throw new CliError(EXIT.VALIDATION, `${manifestFile}: ${field} ${issue.message}`, code);
  }
  const files = await collectFiles(dir);
  const { name, version } = parsed.data;
  const out = path.resolve(output ?? `${name}-${version}.torshpkg`);
  const tmp = `${out}.${process.pid}.tmp`;
  const hash = createHash('sha256');
  const hasher = new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  const sink = createWriteStream(tmp);
  sink.on('error', (err) => hasher.destroy(err));
  hasher.pipe(sink);
  try {
    const { bytes } = await writePackage(hasher, { manifest, files, fillResources: true });
    await finished(sink);
    await rename(tmp, out);
    return { path: out, sha256: hash.digest('hex'), bytes, name, version, files: files.length };
  } catch (err) {
    sink.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}

export function registerPack(program: Command): void {
  program
    .command('pack')
    .description('build a .torshpkg from a directory: manifest.json plus models/ src/ data/ config/ docs/ resources/')
    .argument('<dir>', 'the package directory')
    .option('-o, --output <file>', 'where to write the package (default: <name>-<version>.torshpkg)')
    .option('--json', 'print the result as JSON')
    .action(async (dir: string, opts: { output?: string; json?: boolean }) => {
      const s = await stat(dir);
      if (!s.isDirectory()) throw new CliError(EXIT.USAGE, `${dir} is not a directory`);
      const result = await packDirectory(dir, opts.output);
      if (opts.json) return printJson({ ...result, digest: `sha256:${result.sha256}` });
      note(`packed ${result.name}@${result.version}: ${result.files} files, ${formatSize(result.bytes)}\n`);
      say(`${result.sha256}  ${result.path}\n`);
    });
}
