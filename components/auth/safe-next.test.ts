import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

describe('safeNext keeps ?next= on this site', () => {
  it.each([
    ['/', '/'],
    ['/packages/resnet?tab=versions#files', '/packages/resnet?tab=versions#files'],
    ['/admin/users?q=a%2Fb', '/admin/users?q=a%2Fb'],
    ['/a//b', '/a//b'],
    [null, '/'],
    [undefined, '/'],
    ['', '/'],
    ['packages', '/'],
    ['https://evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['//evil.example', '/'],
    ['///evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/x\\..\\evil', '/'],
    ['/\t/evil.example', '/'],
    ['/\n/evil.example', '/'],
    ['/\r/evil.example', '/'],
    ['/\r\n/evil.example', '/'],
    ['/ok\u0000', '/'],
    ['/ok\u007f', '/'],
  ])('%j → %j', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});
