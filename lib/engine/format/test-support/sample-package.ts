import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FORMAT_VERSION } from '../manifest-schema';
import { writePackage, type PackageFileInput } from '../write-package';

export type SamplePackageOptions = {
  name: string;
  version: string;
  description?: string;
  author?: string;
  tags?: string[];
  files?: PackageFileInput[];
  /** Record sizes and sha256 in resources[] (default true); false writes a crate-style manifest. */
  fillResources?: boolean;
  dir?: string;
};

/** Write a small valid .torshpkg (tests, e2e seeding and benchmarks) and return its path. */
export async function writeSamplePackage(opts: SamplePackageOptions): Promise<string> {
  const dir = opts.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'torsh-sample-')));
  const file = path.join(dir, `${opts.name}-${opts.version}.torshpkg`);
  await writePackage(file, {
    manifest: {
      name: opts.name,
      version: opts.version,
      format_version: FORMAT_VERSION,
      created_at: new Date('2026-01-01T00:00:00Z').toISOString(),
      author: opts.author ?? 'Test Author',
      description: opts.description ?? `${opts.name} test model`,
      license: 'MIT',
      modules: [],
      resources: [],
      dependencies: {},
      metadata: opts.tags ? { tags: opts.tags.join(',') } : {},
    },
    files: opts.files ?? [
      { path: 'models/model.bin', source: Buffer.from(`weights of ${opts.name}@${opts.version}`) },
      { path: 'config/config.json', source: Buffer.from('{"layers": 2}'), compress: true },
    ],
    fillResources: opts.fillResources ?? true,
  });
  return file;
}
