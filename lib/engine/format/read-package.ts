import { AppError } from '../errors';
import { DEFAULT_LIMITS, type PackageLimits } from '../limits';
import { digestEntry, scannedDigest } from './digest-entry';
import type { ScannedEntry } from './zip-stream-scanner';
import { formatExactBytes } from './format-exact-bytes';
import type { Manifest } from './manifest-schema';
import { matchResources } from './match-resources';
import { isSideFile, METADATA_SUFFIX, parseEntryMetadata } from './parse-entry-metadata';
import { parseManifest } from './parse-manifest';
import { classifyPath, type ResourceType } from './resource-type';
import { scanCentralDirectory } from './scan-central-directory';
import { openZip, type ZipEntry, type ZipReader } from './zip-reader';

export type PackageEntry = {
  path: string;
  /** Path within the type folder ("models/a/b.bin" → "a/b.bin"); the full path when type is null. */
  name: string;
  type: ResourceType | null;
  size: number;
  compressedSize: number;
  compression: 'stored' | 'deflate';
  sha256: string;
  metadata?: Record<string, string>;
};

export type PackageContents = {
  manifest: Manifest;
  manifestJson: string;
  /** Resources only (no MANIFEST.json, no .metadata side files), sorted by path. */
  entries: PackageEntry[];
  /** Bytes of all entries after decompression, MANIFEST.json and side files included. */
  totalUncompressed: number;
};

export type ReadPackageOptions = {
  limits?: Partial<PackageLimits>;
  /** The name and version the package is published as; the manifest must agree. */
  expect?: { name: string; version: string };
  /** Digests of stored entries computed while the file was uploaded (zip-stream-scanner.ts). */
  scanned?: ReadonlyMap<number, ScannedEntry>;
};

const MANIFEST_PATH = 'MANIFEST.json';

function byteBudget(limit: number) {
  let total = 0;
  return {
    get total() {
      return total;
    },
    add(path: string, bytes: number) {
      total += bytes;
      if (total > limit) {
        throw new AppError(
          'UNCOMPRESSED_SIZE_EXCEEDED',
          `package expands to more than ${formatExactBytes(limit)} (the limit), reached while reading entry ${JSON.stringify(path)}`,
        );
      }
    },
  };
}

type ByteBudget = ReturnType<typeof byteBudget>;

async function readSmallEntry(
  zip: ZipReader,
  entry: ZipEntry,
  path: string,
  maxBytes: number,
  budget: ByteBudget,
): Promise<string> {
  if (entry.uncompressedSize > maxBytes) {
    throw new AppError(
      'MANIFEST_INVALID',
      `${JSON.stringify(path)} is ${formatExactBytes(entry.uncompressedSize)}; the limit is ${formatExactBytes(maxBytes)}`,
    );
  }
  const chunks: Buffer[] = [];
  await digestEntry(zip, entry, path, (chunk) => {
    budget.add(path, chunk.length);
    chunks.push(chunk);
  });
  return Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
}

function checkExpected(manifest: Manifest, expect: ReadPackageOptions['expect']): void {
  if (!expect) return;
  if (manifest.name !== expect.name) {
    throw new AppError(
      'MANIFEST_NAME_MISMATCH',
      `MANIFEST.json names package ${JSON.stringify(manifest.name)}, but it is being published as ${JSON.stringify(expect.name)}`,
    );
  }
  if (manifest.version !== expect.version) {
    throw new AppError(
      'MANIFEST_VERSION_MISMATCH',
      `MANIFEST.json has version ${JSON.stringify(manifest.version)}, but it is being published as ${JSON.stringify(expect.version)}`,
    );
  }
}

/**
 * Reads and validates a .torshpkg file (DESIGN §3). Central-directory checks run first; then the
 * manifest and side files are parsed; then every resource is streamed once through sha256.
 */
export async function readPackage(filePath: string, opts: ReadPackageOptions = {}): Promise<PackageContents> {
  const overrides = Object.entries(opts.limits ?? {}).filter(([, value]) => value !== undefined);
  const limits: PackageLimits = { ...DEFAULT_LIMITS, ...Object.fromEntries(overrides) };
  const zip = await openZip(filePath);
  try {
    const files = await scanCentralDirectory(zip, limits);
    const manifestEntry = files.get(MANIFEST_PATH);
    if (!manifestEntry) throw new AppError('MANIFEST_MISSING', `package has no ${MANIFEST_PATH} at its root`);

    const budget = byteBudget(limits.maxUncompressedBytes);
    const manifestJson = await readSmallEntry(zip, manifestEntry, MANIFEST_PATH, limits.maxManifestBytes, budget);
    const manifest = parseManifest(manifestJson);
    checkExpected(manifest, opts.expect);

    const candidates = new Set([...files.keys()].filter((p) => p !== MANIFEST_PATH));
    const sidePaths = new Set([...candidates].filter((p) => isSideFile(p, candidates)));
    const resourcePaths = [...candidates].filter((p) => !sidePaths.has(p));
    const listed = matchResources(manifest.resources, new Set(resourcePaths));

    const metadataByPath = new Map<string, Record<string, string>>();
    for (const sidePath of sidePaths) {
      const text = await readSmallEntry(zip, files.get(sidePath)!, sidePath, limits.maxManifestBytes, budget);
      metadataByPath.set(sidePath.slice(0, -METADATA_SUFFIX.length), parseEntryMetadata(sidePath, text));
    }

    const entries: PackageEntry[] = [];
    for (const path of resourcePaths) {
      const entry = files.get(path)!;
      const pre = await scannedDigest(zip, entry, path, opts.scanned);
      if (pre) budget.add(path, pre.size);
      const digest = pre ?? (await digestEntry(zip, entry, path, (chunk) => budget.add(path, chunk.length)));
      const resources = listed.get(path) ?? [];
      for (const resource of resources) {
        if (resource.sha256 !== '' && resource.sha256 !== digest.sha256) {
          throw new AppError(
            'CHECKSUM_MISMATCH',
            `entry ${JSON.stringify(path)} has sha256 ${digest.sha256}, but MANIFEST.json lists ${resource.sha256} for resource ${JSON.stringify(resource.name)}`,
          );
        }
      }
      const { type, name } = classifyPath(path, resources[0]?.type);
      const metadata = metadataByPath.get(path);
      entries.push({
        path,
        name,
        type,
        size: digest.size,
        compressedSize: entry.compressedSize,
        compression: entry.compressionMethod === 0 ? 'stored' : 'deflate',
        sha256: digest.sha256,
        ...(metadata ? { metadata } : {}),
      });
    }
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { manifest, manifestJson, entries, totalUncompressed: budget.total };
  } finally {
    zip.close();
  }
}
