import { describe, expect, it } from 'vitest';
import { matchHubPath, unsafeFilePath } from './hub-path';

describe('matchHubPath', () => {
  it('matches model info with and without a revision, namespaced and bare', () => {
    expect(matchHubPath('GET', '/api/models/torsh/resnet')).toEqual({ ok: true, request: { kind: 'model-info', repo: ['torsh', 'resnet'], rev: 'main' } });
    expect(matchHubPath('GET', '/api/models/resnet')).toEqual({ ok: true, request: { kind: 'model-info', repo: ['resnet'], rev: 'main' } });
    expect(matchHubPath('GET', '/api/models/torsh/resnet/revision/HEAD')).toEqual({ ok: true, request: { kind: 'model-info', repo: ['torsh', 'resnet'], rev: 'HEAD' } });
    expect(matchHubPath('GET', '/api/models/resnet/revision/1.0.0')).toEqual({ ok: true, request: { kind: 'model-info', repo: ['resnet'], rev: '1.0.0' } });
  });

  it('matches the tree with and without a path, and paths-info by POST only', () => {
    expect(matchHubPath('GET', '/api/models/torsh/resnet/tree/main')).toEqual({ ok: true, request: { kind: 'tree', repo: ['torsh', 'resnet'], rev: 'main', path: '' } });
    expect(matchHubPath('GET', '/api/models/torsh/resnet/tree/main/models/sub')).toEqual({ ok: true, request: { kind: 'tree', repo: ['torsh', 'resnet'], rev: 'main', path: 'models/sub' } });
    expect(matchHubPath('GET', '/api/models/torsh/resnet/tree/refs/heads/main/config')).toEqual({ ok: true, request: { kind: 'tree', repo: ['torsh', 'resnet'], rev: 'refs/heads/main', path: 'config' } });
    expect(matchHubPath('POST', '/api/models/torsh/resnet/paths-info/1.0.0')).toEqual({ ok: true, request: { kind: 'paths-info', repo: ['torsh', 'resnet'], rev: '1.0.0' } });
    expect(matchHubPath('GET', '/api/models/torsh/resnet/paths-info/1.0.0')).toBeNull();
    expect(matchHubPath('DELETE', '/api/models/torsh/resnet')).toBeNull();
  });

  it('matches resolve with a percent-encoded revision and a nested path', () => {
    expect(matchHubPath('GET', '/torsh/resnet/resolve/production/models/model.torsh')).toEqual({ ok: true, request: { kind: 'resolve', repo: ['torsh', 'resnet'], rev: 'production', path: 'models/model.torsh' } });
    expect(matchHubPath('HEAD', '/resnet/resolve/1.0.0%2Bbuild/MANIFEST.json')).toEqual({ ok: true, request: { kind: 'resolve', repo: ['resnet'], rev: '1.0.0+build', path: 'MANIFEST.json' } });
    expect(matchHubPath('POST', '/torsh/resnet/resolve/main/MANIFEST.json')).toBeNull();
  });

  it('leaves other paths alone', () => {
    expect(matchHubPath('GET', '/')).toBeNull();
    expect(matchHubPath('GET', '/packages/resnet')).toBeNull();
    expect(matchHubPath('GET', '/torsh/resnet/resolve/main')).toBeNull();
    expect(matchHubPath('GET', '/api/v1/health')).toBeNull();
  });

  it('refuses .., a leading slash, backslashes and bad encoding', () => {
    expect(matchHubPath('GET', '/torsh/resnet/resolve/main/%2e%2e/secret')).toMatchObject({ ok: false, status: 400 });
    expect(matchHubPath('GET', '/torsh/resnet/resolve/main/models/../MANIFEST.json')).toMatchObject({ ok: false, status: 400 });
    expect(matchHubPath('GET', '/torsh/resnet/resolve/main//etc/passwd')).toMatchObject({ ok: false, status: 400 });
    expect(matchHubPath('GET', '/torsh/resnet/resolve/main/%2Fetc%2Fpasswd')).toMatchObject({ ok: false, status: 400 });
    expect(matchHubPath('GET', '/torsh/resnet/resolve/main/a%5C..%5Cb')).toMatchObject({ ok: false, status: 400 });
    expect(matchHubPath('GET', '/api/models/torsh/resnet/tree/main/..')).toMatchObject({ ok: false, status: 400 });
    expect(matchHubPath('GET', '/torsh/resnet/resolve/main/%E0%A4%A')).toMatchObject({ ok: false, status: 400 });
  });

  it('names why a file path is unsafe', () => {
    expect(unsafeFilePath('config/a.json')).toBeNull();
    expect(unsafeFilePath('/a')).toMatch(/start/);
    expect(unsafeFilePath('a/../b')).toMatch(/\.\./);
  });
});
