import { describe, expect, it } from 'vitest';
import { mirrorUrlForLog, normalizeMirrorUrl } from './mirror-url';

describe('normalizeMirrorUrl', () => {
  it.each([
    ['http://127.0.0.1:8081/', 'http://127.0.0.1:8081'],
    ['  https://Mirror.Example:443/torsh//  ', 'https://mirror.example/torsh'],
    ['http://[::1]:9000', 'http://[::1]:9000'],
  ])('%s → %s', (input, url) => expect(normalizeMirrorUrl(input)).toBe(url));

  it.each([
    ['mirror.example', /not a URL/],
    ['ftp://mirror.example', /http/],
    ['http://user:pw@mirror.example', /credentials/],
    ['http://mirror.example/?x=1', /query/],
    ['http://mirror.example/#top', /fragment/],
  ])('refuses %s', (input, message) => expect(() => normalizeMirrorUrl(input)).toThrow(message));
});

describe('mirrorUrlForLog', () => {
  it('drops credentials, query and fragment', () => {
    expect(mirrorUrlForLog('http://user:secret@mirror.example:81/p/?token=x#y')).toBe('http://mirror.example:81/p');
    expect(mirrorUrlForLog('not a url')).toBe('not a url');
  });
});
