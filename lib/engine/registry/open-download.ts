import type { Readable } from 'node:stream';
import type { PackageRow, VersionRow } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { getWithFailover } from '../replication/failover-download';
import type { ByteRange } from '../storage/blob-store';
import { resolveVersionRow } from './find-version';

export type DownloadTarget = { pkg: PackageRow; row: VersionRow };

/** Resolve name@ref (a version, `latest` or a channel) to its stored package (404s for unknown ones). */
export function findDownload(engine: Engine, name: string, ref: string): DownloadTarget {
  return resolveVersionRow(engine, name, ref);
}

/** A stream of the package bytes (or an inclusive range of them); a missing or unreadable primary copy fails over to a replica when auto_failover is on. */
export async function openDownload(engine: Engine, target: DownloadTarget, range?: ByteRange): Promise<Readable> {
  if (range && (range.start > range.end || range.end >= target.row.size)) {
    throw new AppError('RANGE_NOT_SATISFIABLE', `range ${range.start}-${range.end} is outside 0-${target.row.size - 1}`);
  }
  return getWithFailover(engine, { ...target.row, name: target.pkg.name }, range);
}
