import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorCounts } from '@/lib/engine/observability/error-counter';
import { findDownload } from '@/lib/engine/registry';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { tempEngine } from '@/lib/engine/test-support/temp-engine';
import { downloadResponse } from './download-response';
import { nodeBodyOf } from './node-streams';
import { captureStderr } from './test-support/capture-stderr';

let engine: Awaited<ReturnType<typeof tempEngine>>;

beforeEach(async () => {
  engine = await tempEngine();
  await publishSample(engine, 'm', '1.0.0', { files: [{ path: 'models/w.bin', source: Buffer.alloc(200_000, 1) }] });
});
afterEach(async () => {
  await engine.cleanup();
});

describe('a blob read error in the middle of a download', () => {
  it('is logged as one structured line, counted, and recorded as an incomplete download', async () => {
    // The store hands out a stream that breaks after its first chunk (a failing disk).
    const broken = {
      ...engine,
      blobs: {
        ...engine.blobs,
        get: async () =>
          new Readable({
            read() {
              if (this.readableLength === 0 && !(this as { sent?: boolean }).sent) {
                (this as { sent?: boolean }).sent = true;
                this.push(Buffer.alloc(1024));
              } else this.destroy(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
            },
          }),
      },
    };
    const before = (await errorCounts())['download.stream'] ?? 0;
    const stderr = captureStderr();
    try {
      const res = await downloadResponse(broken, findDownload(engine, 'm', '1.0.0'), new Request('http://x/download'), { clientAddr: null });
      expect(res.status).toBe(200);
      const body = nodeBodyOf(res)!;
      await expect(new Promise((resolve, reject) => body.on('data', () => {}).on('end', resolve).on('error', reject).on('close', () => reject(new Error('closed'))))).rejects.toThrow();
      const line = JSON.parse(await stderr.next((l) => l.includes('download.stream')));
      expect(line).toMatchObject({ level: 'error', where: 'download.stream', package: 'm', version: '1.0.0', err: { code: 'EIO' } });
    } finally {
      stderr.restore();
    }
    expect((await errorCounts())['download.stream']).toBe(before + 1);
    engine.metrics.flush();
    const ev = engine.db.$client.prepare("SELECT status, bytes, coalesce(json_extract(detail, '$.completed'), 1) AS completed FROM metric_events WHERE series = 'download'").all();
    expect(ev).toEqual([{ status: 200, bytes: 1024, completed: 0 }]);
  });
});
