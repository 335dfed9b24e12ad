import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../actor';
import { writeSamplePackage } from '../format/test-support/sample-package';
import { setPolicy } from '../security/policy';
import { manualClock, tempEngine } from '../test-support/temp-engine';
import { HOLD_TTL_MS, holdBlob } from './blob-holds';
import { collectGarbage } from './collect-garbage';
import { getVersion, publishVersion, type PublishStep } from '.';

type TestEngine = Awaited<ReturnType<typeof tempEngine>>;

const DAY_MS = 24 * 60 * 60 * 1000;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let engine: TestEngine;
let clock: ReturnType<typeof manualClock>;

// The engine's clock runs two days ahead of the files' real mtimes, so every temp file and blob
// looks far older than any grace period: only holds and references can keep them.
beforeEach(async () => {
  clock = manualClock(Date.now() + 2 * DAY_MS);
  engine = await tempEngine({}, { clock: clock.now });
});
afterEach(async () => {
  await engine.cleanup();
});

const tmpDir = () => path.join(engine.dataDir, 'blobs', '.tmp');
const tempFiles = async () => (await readdir(tmpDir())).sort();
const holds = () => engine.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM blob_holds`).n;
const has = async (digest: string) => (await engine.blobs.stat(digest)) !== null;
const putBlob = async (bytes: Buffer) => (await engine.blobs.put(Readable.from([bytes]))).digest;

async function sample(name: string) {
  return readFile(await writeSamplePackage({ name, version: '1.0.0' }));
}

function publish(name: string, bytes: Buffer, opts: { body?: Readable; onStep?: (step: PublishStep) => Promise<void> } = {}) {
  return publishVersion(engine, ANONYMOUS, {
    name,
    version: '1.0.0',
    source: { kind: 'stream', body: opts.body ?? Readable.from([bytes]), contentLength: bytes.length },
    onStep: opts.onStep,
  });
}

describe('garbage collection interleaved with a publish', () => {
  it('during streaming: the temp file being written is held; an unheld temp file of the same age goes', async () => {
    const bytes = await sample('streaming');
    await mkdir(tmpDir(), { recursive: true });
    await writeFile(path.join(tmpDir(), 'crashed.part'), 'left by a crash');
    let during: { report: Awaited<ReturnType<typeof collectGarbage>>; files: string[] } | undefined;
    async function* body() {
      yield bytes.subarray(0, 100);
      // The publish's temp file exists (it is created before the first byte is read).
      const report = await collectGarbage(engine);
      during = { report, files: await tempFiles() };
      yield bytes.subarray(100);
    }
    const res = await publish('streaming', bytes, { body: Readable.from(body()) });
    expect(during!.report).toEqual({ tempFilesRemoved: 1, blobsRemoved: 0, bytesFreed: 0 });
    expect(during!.files).toEqual([expect.stringMatching(/^[0-9a-f-]{36}\.part$/)]);
    expect(getVersion(engine, 'streaming', '1.0.0').digest).toBe(res.digest);
    expect(await has(sha(bytes))).toBe(true);
  });

  it('after hashing, before the rename: the temp file and the digest are held (an old blob of the same bytes stays)', async () => {
    const bytes = await sample('hashed');
    const sameBytes = await putBlob(bytes); // e.g. left by a deleted version: unreferenced
    const orphan = await putBlob(Buffer.from('nobody references this'));
    const seen: Record<string, unknown> = {};
    await publish('hashed', bytes, {
      onStep: async (step) => {
        if (step !== 'staged') return;
        seen.report = await collectGarbage(engine);
        seen.files = await tempFiles();
        seen.sameBytes = await has(sameBytes);
      },
    });
    expect(seen.report).toEqual({ tempFilesRemoved: 0, blobsRemoved: 1, bytesFreed: 22 });
    expect(seen.files).toHaveLength(1);
    expect(seen.sameBytes).toBe(true);
    expect(await has(orphan)).toBe(false);
    expect(await has(sameBytes)).toBe(true);
  });

  it('after the rename, before the version row commits: the stored, unreferenced blob is held', async () => {
    const bytes = await sample('renamed');
    const seen: Record<string, unknown> = {};
    await publish('renamed', bytes, {
      onStep: async (step) => {
        if (step !== 'stored') return;
        seen.inStore = await has(sha(bytes));
        seen.report = await collectGarbage(engine);
      },
    });
    expect(seen).toEqual({ inStore: true, report: { tempFilesRemoved: 0, blobsRemoved: 0, bytesFreed: 0 } });
    expect(await has(sha(bytes))).toBe(true);
  });

  it('after the commit: the blob is referenced, the hold is released, and later collections keep it', async () => {
    const bytes = await sample('committed');
    let report: unknown;
    await publish('committed', bytes, {
      onStep: async (step) => {
        if (step === 'registered') report = await collectGarbage(engine);
      },
    });
    expect(report).toEqual({ tempFilesRemoved: 0, blobsRemoved: 0, bytesFreed: 0 });
    expect(holds()).toBe(0);
    expect(await collectGarbage(engine)).toEqual({ tempFilesRemoved: 0, blobsRemoved: 0, bytesFreed: 0 });
    expect(await has(sha(bytes))).toBe(true);
    expect(await tempFiles()).toEqual([]);
  });

  it('a failed publish releases its hold and leaves no temp file', async () => {
    setPolicy(engine, { require_signature: true });
    const bytes = await sample('refused');
    await expect(publish('refused', bytes)).rejects.toMatchObject({ code: 'SIGNATURE_REQUIRED' });
    expect(holds()).toBe(0);
    expect(await tempFiles()).toEqual([]);
  });
});

describe('garbage collection', () => {
  it('collects a blob that is neither referenced nor held, at once (no grace period by mtime)', async () => {
    clock.set(Date.now());
    const orphan = await putBlob(Buffer.from('orphan'));
    expect(await collectGarbage(engine)).toEqual({ tempFilesRemoved: 0, blobsRemoved: 1, bytesFreed: 6 });
    expect(await has(orphan)).toBe(false);
  });

  it('a hold keeps a blob until it expires: a crashed publish cannot pin it forever', async () => {
    const digest = await putBlob(Buffer.from('held by a publish that crashed'));
    holdBlob(engine).digest(digest);
    expect(await collectGarbage(engine)).toMatchObject({ blobsRemoved: 0 });
    clock.advance(HOLD_TTL_MS - 1);
    expect(await collectGarbage(engine)).toMatchObject({ blobsRemoved: 0 });
    clock.advance(1);
    expect(await collectGarbage(engine)).toMatchObject({ blobsRemoved: 1 });
    expect(await has(digest)).toBe(false);
    expect(holds()).toBe(0);
  });

  it('re-checks each blob right before its unlink: a hold taken while the store is walked keeps it', async () => {
    const digest = await putBlob(Buffer.from('a publish reaches this digest mid-walk'));
    const store = engine.blobs;
    engine.blobs = {
      ...store,
      async *list() {
        for await (const blob of store.list()) {
          holdBlob(engine).digest(blob.digest);
          yield blob;
        }
      },
    };
    expect(await collectGarbage(engine)).toMatchObject({ blobsRemoved: 0 });
    expect(await has(digest)).toBe(true);
  });

  it('keeps young temp files (a writer that holds nothing is given the grace period)', async () => {
    clock.set(Date.now());
    await mkdir(tmpDir(), { recursive: true });
    await writeFile(path.join(tmpDir(), 'young.part'), 'x');
    expect(await collectGarbage(engine)).toMatchObject({ tempFilesRemoved: 0 });
    clock.advance(2 * 60 * 60 * 1000);
    expect(await collectGarbage(engine)).toMatchObject({ tempFilesRemoved: 1 });
    expect(await tempFiles()).toEqual([]);
  });
});
