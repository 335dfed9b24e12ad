import { open } from 'node:fs/promises';
import type { Command } from 'commander';
import { readPackage } from '../../engine/format';
import { isEncryptedPackage } from '../../engine/security/encryption';
import { CliError, EXIT } from '../exit-codes';
import { printJson, say, table } from '../output';
import { formatSize } from '../progress';
import { cleanLine } from '../sanitize';

export async function firstBytes(file: string, n = 64): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('validate a .torshpkg and show its manifest and resources')
    .argument('<file>', 'the package file')
    .option('--json', 'print the manifest and resources as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      if (isEncryptedPackage(await firstBytes(file))) {
        throw new CliError(EXIT.VALIDATION, `${file} is an encrypted package: decrypt it first (torsh decrypt)`, 'PACKAGE_ENCRYPTED');
      }
      const pkg = await readPackage(file);
      const m = pkg.manifest;
      const resources = pkg.entries.map((e) => ({ path: e.path, type: e.type, size: e.size, compression: e.compression, sha256: e.sha256, metadata: e.metadata }));
      if (opts.json) {
        return printJson({ name: m.name, version: m.version, format_version: m.format_version, manifest: m, resources, total_uncompressed: pkg.totalUncompressed });
      }
      // Manifest text is the packager's: one clean line per field.
      const field = (label: string, value: string) => `${`${label}:`.padEnd(16)}${cleanLine(value)}`;
      const lines = [field('name', m.name), field('version', m.version), field('format', m.format_version), field('created', m.created_at)];
      if (m.author) lines.push(field('author', m.author));
      if (m.description) lines.push(field('description', m.description));
      if (m.license) lines.push(field('license', m.license));
      const deps = Object.entries(m.dependencies);
      if (deps.length > 0) lines.push(field('dependencies', deps.map(([k, v]) => `${k} ${v}`).join(', ')));
      lines.push(field('uncompressed', formatSize(pkg.totalUncompressed)), '');
      const rows = [['PATH', 'TYPE', 'SIZE', 'SHA256'], ...resources.map((r) => [r.path, r.type ?? '-', String(r.size), r.sha256])];
      say(`${lines.join('\n')}\n${table(rows)}\n`);
    });
}
