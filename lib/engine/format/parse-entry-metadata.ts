import { AppError } from '../errors';

export const METADATA_SUFFIX = '.metadata';

/** True when `path` is a `<resource>.metadata` side file of another (non-side) file in `files`. */
export function isSideFile(path: string, files: ReadonlySet<string>): boolean {
  if (!path.endsWith(METADATA_SUFFIX)) return false;
  const target = path.slice(0, -METADATA_SUFFIX.length);
  return files.has(target) && !isSideFile(target, files);
}

/** Parses a side file: a JSON object whose values are all strings. */
export function parseEntryMetadata(path: string, text: string): Record<string, string> {
  const fail = (why: string) =>
    new AppError('MANIFEST_INVALID', `metadata file ${JSON.stringify(path)} must be a JSON object of string values: ${why}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw fail(`not valid JSON (${(err as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw fail('not an object');
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') throw fail(`key ${JSON.stringify(key)} is ${value === null ? 'null' : typeof value}`);
  }
  return raw as Record<string, string>;
}
