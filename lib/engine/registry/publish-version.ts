import { and, eq, sql } from 'drizzle-orm';
import type { Readable } from 'node:stream';
import { packages, resources, versions } from '@/db/schema';
import { addOwnerRow } from '../access/package-access';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { FORMAT_VERSION, readPackage, type PackageContents } from '../format';
import { readEncryptedHeader } from '../security/encryption';
import { createZipStreamScanner } from '../format/zip-stream-scanner';
import { evaluateSignature, type SignatureRecord } from '../security/evaluate-signature';
import { checkCoordinates } from './check-coordinates';
import { recordChange } from './record-change';
import { refreshPackageSummary } from './refresh-package-summary';
import { assertNotTombstoned } from './tombstones';
import { digestRef, type PublishResult } from './views';

export type PublishInput = {
  name: string;
  version: string;
  /** The package bytes: a request body, or a file already on this machine (a finished upload). */
  source: { kind: 'stream'; body: Readable; contentLength?: number } | { kind: 'file'; path: string };
  /** X-Torsh-Signature / X-Torsh-Key-Id. */
  signature?: { value: string; keyId: string | null };
  /** Published from the browser (session): may be signed with the registry key. */
  browser?: boolean;
  /**
   * An encrypted package (torsh encrypt): stored opaquely. Its manifest cannot be read, so the
   * version is described by the URL and what the publisher supplies here.
   */
  encrypted?: { description?: string };
};

function versionExists(engine: Engine, name: string, version: string): boolean {
  const hit = engine.db
    .select({ id: versions.id })
    .from(versions)
    .innerJoin(packages, eq(packages.id, versions.packageId))
    .where(and(eq(packages.name, name), eq(versions.version, version)))
    .get();
  return hit !== undefined;
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function registerVersion(
  engine: Engine,
  actor: Actor,
  input: PublishInput,
  blob: { digest: string; size: number },
  contents: PackageContents,
  signature: SignatureRecord | null,
): void {
  const now = Date.now();
  engine.db.transaction((tx) => {
    tx.insert(packages)
      .values({ name: input.name, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: packages.name })
      .run();
    const pkg = tx.select({ id: packages.id }).from(packages).where(eq(packages.name, input.name)).get()!;
    // Whoever publishes a package first owns it.
    const owned = tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM package_owners WHERE package_id = ${pkg.id}`).n > 0;
    if (!owned && actor.userId !== null) addOwnerRow(tx, pkg.id, actor.userId);
    const version = tx
      .insert(versions)
      .values({
        packageId: pkg.id,
        version: input.version,
        digest: blob.digest,
        size: blob.size,
        formatVersion: contents.manifest.format_version,
        manifest: contents.manifestJson,
        publishedAt: now,
        publisher: actor.name,
        signature: signature?.value ?? null,
        signatureKeyId: signature?.keyId ?? null,
        signatureStatus: signature?.status ?? null,
        signatureSigner: signature?.signer ?? null,
        encrypted: input.encrypted !== undefined,
      })
      .returning({ id: versions.id })
      .get();
    if (contents.entries.length > 0) {
      tx.insert(resources)
        .values(
          contents.entries.map((e) => ({
            versionId: version.id,
            path: e.path,
            name: e.name,
            type: e.type,
            size: e.size,
            compressedSize: e.compressedSize,
            compression: e.compression,
            sha256: e.sha256,
            metadata: e.metadata ? JSON.stringify(e.metadata) : null,
          })),
        )
        .run();
    }
    refreshPackageSummary(tx, pkg.id, input.name, now);
    recordChange(tx, { kind: 'publish', name: input.name, version: input.version, digest: blob.digest, size: blob.size }, now);
  });
}

/** The stand-in manifest of an encrypted package; the bytes must be in the torsh encrypted format. */
async function describeEncrypted(file: string, name: string, version: string, info: { description?: string }): Promise<PackageContents> {
  const header = await readEncryptedHeader(file);
  if (!header) throw new AppError('ENCRYPTED_FORMAT_INVALID', 'the body is not a torsh encrypted package (no TORSHENC header)');
  const manifest = {
    name,
    version,
    format_version: FORMAT_VERSION,
    created_at: new Date().toISOString(),
    description: info.description,
    modules: [],
    resources: [],
    dependencies: {},
    metadata: { encryption: `aes-256-gcm/v${header.version}` },
  } as PackageContents['manifest'];
  return { manifest, manifestJson: JSON.stringify(manifest), entries: [], totalUncompressed: 0 };
}

/**
 * Publish a version: stream the body into a staged blob while hashing, validate the package
 * from that file, make the blob durable, then register the version in one transaction.
 * Any failure leaves no version row and no blob (the staged file is discarded).
 */
export async function publishVersion(engine: Engine, actor: Actor, input: PublishInput): Promise<PublishResult> {
  checkCoordinates(input.name, input.version);
  const { maxUploadBytes } = engine.limits;
  const { source } = input;
  // Early rejections leave the body unread: the transport decides whether to drain or close.
  if (source.kind === 'stream' && source.contentLength !== undefined && source.contentLength > maxUploadBytes) {
    throw new AppError('BODY_TOO_LARGE', `package is ${source.contentLength} bytes; the limit is ${maxUploadBytes} bytes`);
  }
  if (versionExists(engine, input.name, input.version)) {
    throw new AppError('PACKAGE_VERSION_EXISTS', `${input.name}@${input.version} is already published; versions are immutable`);
  }
  assertNotTombstoned(engine, input.name, input.version);

  // Stored entries (model weights) are digested while the bytes arrive: one pass, not two.
  const scanner = createZipStreamScanner();
  const staged =
    source.kind === 'stream'
      ? await engine.blobs.stage(source.body, { maxBytes: maxUploadBytes, expectedSize: source.contentLength, onChunk: scanner.push })
      : await engine.blobs.stageFile(source.path, { maxBytes: maxUploadBytes, onChunk: scanner.push });
  try {
    const contents = input.encrypted
      ? await describeEncrypted(staged.path, input.name, input.version, input.encrypted)
      : await readPackage(staged.path, {
          limits: engine.limits,
          expect: { name: input.name, version: input.version },
          scanned: scanner.results(),
        }).catch(async (err) => {
          if (err instanceof AppError && err.code === 'PACKAGE_NOT_ZIP' && (await readEncryptedHeader(staged.path))) {
            throw new AppError('PACKAGE_NOT_ZIP', 'this is an encrypted package: publish it with the header X-Torsh-Encrypted: 1 (torsh publish does this)');
          }
          throw err;
        });
    const signature = await evaluateSignature(engine, actor, {
      name: input.name,
      digest: staged.digest,
      supplied: input.signature,
      browser: input.browser ?? false,
    });
    await staged.commit();
    try {
      registerVersion(engine, actor, input, staged, contents, signature);
    } catch (err) {
      // A concurrent publish of the same version won the race; an orphaned blob is left to GC.
      if (isUniqueViolation(err)) {
        throw new AppError('PACKAGE_VERSION_EXISTS', `${input.name}@${input.version} is already published; versions are immutable`);
      }
      throw err;
    }
    return { name: input.name, version: input.version, digest: digestRef(staged.digest), size: staged.size };
  } finally {
    await staged.discard();
  }
}
