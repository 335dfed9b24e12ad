import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/engine/errors';
import { captureStderr } from '../test-support/capture-stderr';
import { hubError, hubErrorOf } from './hub-errors';

describe('hub errors', () => {
  it('answers the Hub shape with X-Error-Code', async () => {
    const res = hubError(404, 'EntryNotFound', 'Entry not found');
    expect(res.status).toBe(404);
    expect(res.headers.get('x-error-code')).toBe('EntryNotFound');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: 'Entry not found' });
  });

  it('maps the engine not-found codes to RepoNotFound and RevisionNotFound', async () => {
    const repo = hubErrorOf(new AppError('PACKAGE_NOT_FOUND', 'package resnet not found'));
    expect([repo.status, repo.headers.get('x-error-code')]).toEqual([404, 'RepoNotFound']);
    const rev = hubErrorOf(new AppError('CHANNEL_NOT_FOUND', 'no channel nightly'));
    expect([rev.status, rev.headers.get('x-error-code')]).toEqual([404, 'RevisionNotFound']);
  });

  it('keeps other statuses and hides internal details', async () => {
    const unauth = hubErrorOf(new AppError('UNAUTHENTICATED', 'the bearer token is not valid'));
    expect(unauth.status).toBe(401);
    expect(await unauth.json()).toEqual({ error: 'the bearer token is not valid' });
    const stderr = captureStderr();
    let internal: Response;
    try {
      internal = hubErrorOf(new Error('disk path /secret'));
      expect(stderr.lines().join('\n')).toContain('handler.unexpected');
    } finally {
      stderr.restore();
    }
    expect(internal.status).toBe(500);
    expect(JSON.stringify(await internal.json())).not.toContain('/secret');
  });
});

describe('hub errors named by the engine', () => {
  it('takes details.hub_error over the registry code', () => {
    const res = hubErrorOf(new AppError('VERSION_NOT_FOUND', 'entry "x" not found', { hub_error: 'EntryNotFound' }));
    expect([res.status, res.headers.get('x-error-code')]).toEqual([404, 'EntryNotFound']);
  });
});
