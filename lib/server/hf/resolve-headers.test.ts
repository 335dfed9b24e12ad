import { describe, expect, it } from 'vitest';
import { planResolve } from './resolve-headers';

const file = { path: 'models/model.torsh', size: 1000, etag: 'ab'.repeat(32), commit: 'c'.repeat(40) };
const plain = { range: null, ifNoneMatch: null, noContentDisposition: false };

describe('planResolve', () => {
  it('answers the whole file with the headers the Hub clients read', () => {
    const plan = planResolve(file, plain);
    expect(plan.status).toBe(200);
    expect(plan.range).toBeNull();
    expect(plan.headers).toMatchObject({
      etag: `"${file.etag}"`,
      'x-linked-etag': `"${file.etag}"`,
      'x-linked-size': '1000',
      'x-repo-commit': file.commit,
      'accept-ranges': 'bytes',
      'content-length': '1000',
      'content-disposition': "attachment; filename*=UTF-8''model.torsh",
    });
  });

  it('answers the bytes=0-0 probe with a 206 whose Content-Range carries the size', () => {
    const plan = planResolve(file, { ...plain, range: 'bytes=0-0' });
    expect(plan.status).toBe(206);
    expect(plan.range).toEqual({ start: 0, end: 0 });
    expect(plan.headers['content-range']).toBe('bytes 0-0/1000');
    expect(plan.headers['content-length']).toBe('1');
  });

  it('clamps an open or long range and refuses one past the end', () => {
    expect(planResolve(file, { ...plain, range: 'bytes=900-' }).headers['content-range']).toBe('bytes 900-999/1000');
    expect(planResolve(file, { ...plain, range: 'bytes=990-5000' }).range).toEqual({ start: 990, end: 999 });
    const past = planResolve(file, { ...plain, range: 'bytes=1000-' });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe('bytes */1000');
  });

  it('answers 304 when If-None-Match holds the etag, quoted or weak', () => {
    expect(planResolve(file, { ...plain, ifNoneMatch: `"${file.etag}"` }).status).toBe(304);
    expect(planResolve(file, { ...plain, ifNoneMatch: `W/"${file.etag}"` }).status).toBe(304);
    expect(planResolve(file, { ...plain, ifNoneMatch: '"other"' }).status).toBe(200);
  });

  it('drops Content-Disposition on request and answers an empty file whole', () => {
    expect(planResolve(file, { ...plain, noContentDisposition: true }).headers['content-disposition']).toBeUndefined();
    const empty = planResolve({ ...file, size: 0 }, { ...plain, range: 'bytes=0-0' });
    expect(empty.status).toBe(200);
    expect(empty.headers['content-range']).toBe('bytes */0');
  });
});
