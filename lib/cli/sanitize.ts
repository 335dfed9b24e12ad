import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { isValidPackageName, isValidVersion } from '../engine/format';
import { CliError, EXIT } from './exit-codes';

/*
 * What the registry sends is untrusted: a hostile or broken server must not be able to drive the
 * terminal (escape sequences, C1 controls, bidi overrides that reorder what is shown) or make the
 * CLI write outside the directory it was given.
 */

// C0 except \t and \n, CR, DEL, C1, and the bidi embeddings, overrides, isolates and marks.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// The same set without C0 (JSON.stringify escapes those itself).
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text for the terminal: escape sequences and control characters removed; newlines and tabs kept.
 * Takes anything, because a field typed as a string in an answer may be something else.
 */
export function cleanText(text: unknown): string {
  return stripVTControlCharacters(String(text ?? '')).replace(CONTROLS, '');
}

/** One line of text (a table cell, a reason inside a message): newlines and tabs become spaces too. */
export function cleanLine(text: unknown): string {
  return cleanText(text).replace(/[\t\n]/g, ' ');
}

/** JSON text with DEL, C1 and bidi controls written as \u escapes: the same value, safe bytes. */
export function escapeJsonControls(json: string): string {
  return json.replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A version the registry answered with: only a canonical semver is used (it ends up in file names). */
export function registryVersion(version: unknown, what: string): string {
  if (typeof version === 'string' && isValidVersion(version)) return version;
  throw new CliError(EXIT.INTEGRITY, `the registry answered ${what} with an invalid version ${JSON.stringify(cleanLine(version))}; nothing was written`);
}

/** `<dir>/<name>-<version>.torshpkg`, refused unless it is a file directly inside `dir`. */
export function packageFileIn(dir: string, name: string, version: string): string {
  const base = path.resolve(dir);
  const file = path.resolve(base, `${name}-${version}.torshpkg`);
  if (!isValidPackageName(name) || !isValidVersion(version) || path.dirname(file) !== base) {
    throw new CliError(EXIT.INTEGRITY, `refusing to write ${JSON.stringify(cleanLine(file))}: it is not a package file inside ${base}`);
  }
  return file;
}
