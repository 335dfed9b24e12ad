import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from './exit-codes';
import { cleanLine, cleanText, escapeJsonControls, packageFileIn, registryVersion } from './sanitize';

describe('cleanText and cleanLine', () => {
  it.each([
    ['plain text', 'resnet 1.0.0 — ok', 'resnet 1.0.0 — ok', 'resnet 1.0.0 — ok'],
    ['CSI colour', 'a\u001b[31mred\u001b[0m', 'ared', 'ared'],
    ['clear screen and cursor home', '\u001b[2J\u001b[Hx', 'x', 'x'],
    ['OSC window title (BEL)', '\u001b]0;pwned\u0007t', 't', 't'],
    ['OSC 8 hyperlink (ST)', '\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\', 'link', 'link'],
    ['C1 CSI', 'a\u009b31mb', 'ab', 'ab'],
    ['lone ESC', 'a\u001bb', 'ab', 'ab'],
    ['C1 controls', 'a\u0085\u008d\u009cb', 'ab', 'ab'],
    ['C0 bell, backspace, NUL, DEL', 'a\u0007\u0008\u0000\u007fb', 'ab', 'ab'],
    ['carriage return (overwrites the line)', 'fake ok\rreal', 'fake okreal', 'fake okreal'],
    ['bidi override', 'evil\u202egpj.exe', 'evilgpj.exe', 'evilgpj.exe'],
    ['bidi isolates and marks', '\u2066a\u2069\u200e\u200f\u061cb', 'ab', 'ab'],
    ['newline and tab', 'one\ntwo\tthree', 'one\ntwo\tthree', 'one two three'],
    ['a forged second line', 'broken\ntorsh: signature ok', 'broken\ntorsh: signature ok', 'broken torsh: signature ok'],
    ['not a string', 42, '42', '42'],
    ['null', null, '', ''],
  ])('%s', (_, input, text, line) => {
    expect(cleanText(input)).toBe(text);
    expect(cleanLine(input)).toBe(line);
  });
});

describe('escapeJsonControls', () => {
  it.each([
    ['C1 CSI', { d: 'a\u009b2Jb' }, '{"d":"a\\u009b2Jb"}'],
    ['bidi override', { d: '\u202eabc' }, '{"d":"\\u202eabc"}'],
    ['DEL', { d: 'a\u007f' }, '{"d":"a\\u007f"}'],
    ['ESC (already escaped by JSON.stringify)', { d: '\u001b[31m' }, '{"d":"\\u001b[31m"}'],
    ['ordinary text', { d: 'é — ü' }, '{"d":"é — ü"}'],
  ])('%s: the same value, no raw control bytes', (_, value, json) => {
    const escaped = escapeJsonControls(JSON.stringify(value));
    expect(escaped).toBe(json);
    expect(JSON.parse(escaped)).toEqual(value);
  });
});

describe('registryVersion', () => {
  it.each(['1.0.0', '2.1.3-rc.1', '1.0.0+build.5'])('accepts %s', (v) => expect(registryVersion(v, 'x')).toBe(v));

  it.each([['../../evil'], ['1.0.0/../../x'], ['v1.0.0'], [' 1.0.0'], ['1.0.0\u001b[2J'], [''], [null], [7]])('refuses %j (exit 7)', (v) => {
    expect(() => registryVersion(v, 'pkg@latest')).toThrow(expect.objectContaining({ exitCode: EXIT.INTEGRITY }));
  });

  it('shows the refused value without its escape sequences', () => {
    expect(() => registryVersion('\u001b[2J../x', 'pkg@latest')).toThrow('the registry answered pkg@latest with an invalid version "../x"; nothing was written');
  });
});

describe('packageFileIn', () => {
  const dir = path.resolve('/tmp/out');

  it('puts <name>-<version>.torshpkg directly inside the directory', () => {
    expect(packageFileIn(dir, 'resnet', '1.0.0')).toBe(path.join(dir, 'resnet-1.0.0.torshpkg'));
    expect(packageFileIn(`${dir}/sub/..`, 'a.b_c-d', '1.0.0-rc.1+b.2')).toBe(path.join(dir, 'a.b_c-d-1.0.0-rc.1+b.2.torshpkg'));
  });

  it.each([
    ['a version climbing out', 'resnet', '../../evil'],
    ['an absolute version', 'resnet', '/etc/passwd'],
    ['a name climbing out', '../x', '1.0.0'],
    ['a name with a slash', 'a/b', '1.0.0'],
    ['an empty name', '', '1.0.0'],
  ])('refuses %s (exit 7)', (_, name, version) => {
    expect(() => packageFileIn(dir, name, version)).toThrow(expect.objectContaining({ exitCode: EXIT.INTEGRITY, message: expect.stringMatching(/^refusing to write/) }));
  });
});
