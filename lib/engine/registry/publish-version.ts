import { eq, sql } from 'drizzle-orm';
import type { Readable } from 'node:stream';
import { packages, versions } from '@/db/schema';
import { addOwnerRow } from '../access/package-access';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { FORMAT_VERSION, readPackage, type PackageContents } from '../format';
import { readEncryptedHeader } from '../security/encryption';
import { createZipStreamScanner } from '../format/zip-stream-scanner';
import { evaluateSignature, type SignatureRecord } from '../security/evaluate-signature';
import { storageError } from '../storage/out-of-space';
import { holdBlob, type BlobHold } from './blob-holds';
import { checkCoordinates } from './check-coordinates';
import { commitDurably } from './commit-durably';
import { insertResources } from './insert-resources';
import { alreadyPublished, assertUnpublished, findPackageRow } from './find-version';
import { recordPublishEvent } from '../metrics/record';
import { recordChange } from './record-change';
import { insertReplicas } from '../replication/replica-rows';
import { recordReplicationOp } from '../replication/record-replication-op';
import { replicateOnPublish, type PublishReplication } from '../replication/replicate-on-publish';
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
  /** Told when each step is done (tests run garbage collection in between). */
  onStep?: (step: PublishStep) => Promise<void> | void;
};

/** staged: hashed into a held temp file; stored: renamed into the store; registered: the version row committed. */
function packageIdOf(engine: Engine, name: string): number | null {
  try {
    return findPackageRow(engine, name).id;
  } catch {
    return null;
  }
}

export type PublishStep = 'staged' | 'stored' | 'registered';

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function isTombstoneTrigger(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'SQLITE_CONSTRAINT_TRIGGER' && String(e.message).startsWith('VERSION_TOMBSTONED');
}

function registerVersion(
  engine: Engine,
  actor: Actor,
  input: PublishInput,
  blob: { digest: string; size: number },
  contents: PackageContents,
  signature: SignatureRecord | null,
  replication: PublishReplication,
): void {
  const now = engine.now();
  // The answer (201) follows this commit, so it must survive a power loss.
  commitDurably(engine.db, (tx) => {
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
    insertResources(tx, version.id, contents.entries);
    refreshPackageSummary(tx, pkg.id, input.name, now);
    const seq = recordChange(tx, { kind: 'publish', name: input.name, version: input.version, digest: blob.digest, size: blob.size }, now);
    // The replicas (and the apply jobs of those not yet durable) commit with the version, or not at all.
    insertReplicas(
      engine,
      tx,
      replication.replicas.map((r) => ({ ...r, name: input.name, version: input.version, digest: blob.digest, size: blob.size, seq, committedAt: now })),
      now,
    );
  });
  for (const w of replication.writes) recordReplicationOp(engine, w.node, { ok: w.ok, lagMs: w.ok ? 0 : null, bytes: w.bytes, detail: w.error ? { error: w.error } : undefined });
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
 * from that file, make the blob durable, then register the version in one durable transaction.
 * Throughout, the publish holds its temp file and digest against garbage collection. Any
 * failure leaves no version row and no temp file (a blob already renamed into the store is
 * unreferenced and unheld, so garbage collection takes it).
 */
export async function publishVersion(engine: Engine, actor: Actor, input: PublishInput): Promise<PublishResult> {
  checkCoordinates(input.name, input.version);
  const { maxUploadBytes } = engine.limits;
  const { source } = input;
  // Early rejections leave the body unread: the transport decides whether to drain or close.
  if (source.kind === 'stream' && source.contentLength !== undefined && source.contentLength > maxUploadBytes) {
    throw new AppError('BODY_TOO_LARGE', `package is ${source.contentLength} bytes; the limit is ${maxUploadBytes} bytes`);
  }
  assertUnpublished(engine, input.name, input.version);
  assertNotTombstoned(engine, input.name, input.version);
  const hold = holdBlob(engine);
  const started = performance.now();
  const measure = (bytes: number, err?: unknown) =>
    recordPublishEvent(engine, {
      packageId: packageIdOf(engine, input.name),
      userId: actor.userId,
      bytes,
      durationMs: performance.now() - started,
      errorCode: err === undefined ? null : err instanceof AppError ? err.code : 'INTERNAL',
      via: input.browser ? 'browser' : source.kind === 'file' ? 'upload' : 'api',
    });
  try {
    const result = await storeAndRegister(engine, actor, input, hold);
    measure(result.size);
    return result;
  } catch (err) {
    const e = storageError(err);
    measure(0, e);
    throw e;
  } finally {
    hold.release();
  }
}

async function storeAndRegister(engine: Engine, actor: Actor, input: PublishInput, hold: BlobHold): Promise<PublishResult> {
  const { source } = input;
  // Stored entries (model weights) are digested while the bytes arrive: one pass, not two.
  const scanner = createZipStreamScanner();
  const opts = { maxBytes: engine.limits.maxUploadBytes, onChunk: scanner.push, onTempPath: hold.tempFile };
  const staged =
    source.kind === 'stream'
      ? await engine.blobs.stage(source.body, { ...opts, expectedSize: source.contentLength })
      : await engine.blobs.stageFile(source.path, opts);
  try {
    hold.digest(staged.digest);
    await input.onStep?.('staged');
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
    await input.onStep?.('stored');
    // Quorum and strong write to the nodes here: the answer waits for their copies, the row for the answer.
    const replication = await replicateOnPublish(engine, { name: input.name, version: input.version, digest: staged.digest, size: staged.size, yanked: false });
    try {
      registerVersion(engine, actor, input, staged, contents, signature, replication);
    } catch (err) {
      await replication.rollback();
      // A concurrent publish of the same version won the race.
      if (isUniqueViolation(err)) throw alreadyPublished(input.name, input.version);
      // The version was deleted (tombstoned) while this publish was validating.
      if (isTombstoneTrigger(err)) assertNotTombstoned(engine, input.name, input.version);
      throw err;
    }
    await input.onStep?.('registered');
    return { name: input.name, version: input.version, digest: digestRef(staged.digest), size: staged.size };
  } finally {
    await staged.discard();
  }
}
