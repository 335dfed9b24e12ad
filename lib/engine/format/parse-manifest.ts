import semver from 'semver';
import type { z } from 'zod';
import { AppError } from '../errors';
import { SUPPORTED_FORMAT_MAJOR, ZManifest, type Manifest } from './manifest-schema';

const FILE = 'MANIFEST.json';

function describeIssuePath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function invalid(message: string): AppError {
  return new AppError('MANIFEST_INVALID', `${FILE} ${message}`);
}

// format_version is checked before the schema: a future major may change every other field.
function checkFormatVersion(value: unknown): void {
  if (value === undefined) throw invalid('is missing the required field "format_version"');
  if (typeof value !== 'string') throw invalid('field "format_version" must be a string');
  const parsed = semver.parse(value);
  if (parsed === null) throw invalid(`field "format_version" is not a semantic version: ${JSON.stringify(value)}`);
  if (parsed.major !== SUPPORTED_FORMAT_MAJOR) {
    throw new AppError(
      'FORMAT_VERSION_UNSUPPORTED',
      `package format_version ${JSON.stringify(value)} is not supported; this registry reads format ${SUPPORTED_FORMAT_MAJOR}.x`,
    );
  }
}

function schemaError(issues: z.core.$ZodIssue[], raw: Record<string, unknown>): AppError {
  const nameIssue = issues.find((i) => i.path.length === 1 && i.path[0] === 'name' && i.code === 'custom');
  if (nameIssue) {
    return new AppError(
      'MANIFEST_NAME_INVALID',
      `package name ${JSON.stringify(raw.name)} is invalid: use 1-64 characters from a-z, 0-9, '.', '_', '-', starting with a letter or digit`,
    );
  }
  const versionIssue = issues.find((i) => i.path.length === 1 && i.path[0] === 'version' && i.code === 'custom');
  if (versionIssue) {
    return new AppError(
      'MANIFEST_VERSION_INVALID',
      `package version ${JSON.stringify(raw.version)} is not a semantic version (expected e.g. 1.2.3 or 1.2.3-beta.1)`,
    );
  }
  const issue = issues[0];
  const field = describeIssuePath(issue.path);
  if (issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined) {
    return invalid(`is missing the required field "${field}"`);
  }
  return invalid(`field "${field}" is invalid (${issue.message})`);
}

/** Parses MANIFEST.json text, throwing the AppError that names what is wrong with it. */
export function parseManifest(text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw invalid(`is not valid JSON: ${(err as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalid(`must be a JSON object, found ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`);
  }
  const obj = raw as Record<string, unknown>;
  checkFormatVersion(obj.format_version);
  const result = ZManifest.safeParse(obj);
  if (!result.success) throw schemaError(result.error.issues, obj);
  return result.data;
}
