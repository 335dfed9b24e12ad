import { AppError } from '../errors';

/** Starts with a letter, so never a semantic version (those start with a digit). */
const CHANNEL_NAME_RE = /^[a-z][a-z0-9-]{0,31}$/;

/** Words the read routes give a meaning of their own (`/packages/{name}/{word}`…). */
const RESERVED_CHANNEL_NAMES: ReadonlySet<string> = new Set(['latest', 'channels', 'access', 'grants', 'download', 'locations', 'replicas', 'downloads', 'replication']);

export function isValidChannelName(name: string): boolean {
  return CHANNEL_NAME_RE.test(name) && !RESERVED_CHANNEL_NAMES.has(name);
}

export function checkChannelName(name: string): void {
  if (RESERVED_CHANNEL_NAMES.has(name)) {
    throw new AppError('INVALID_CHANNEL_NAME', `"${name}" is reserved (${[...RESERVED_CHANNEL_NAMES].join(', ')}); choose another channel name`);
  }
  if (!CHANNEL_NAME_RE.test(name)) {
    throw new AppError(
      'INVALID_CHANNEL_NAME',
      `"${name}" is not a valid channel name: use 1–32 lowercase letters, digits or "-", starting with a letter (e.g. stable, production)`,
    );
  }
}
