import { and, asc, count, desc, eq } from 'drizzle-orm';
import { channelHistory, channels, versions } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { checkChannelName } from './channel-name';
import { findPackageRow } from './find-version';
import type { ChannelHistoryView, ChannelView } from './views';

const MAX_HISTORY_PER_PAGE = 100;

export function listChannels(engine: Engine, name: string): ChannelView[] {
  const pkg = findPackageRow(engine, name);
  return engine.db
    .select({ name: channels.name, version: versions.version, updated_at: channels.updatedAt, updated_by: channels.updatedBy })
    .from(channels)
    .innerJoin(versions, eq(versions.id, channels.versionId))
    .where(eq(channels.packageId, pkg.id))
    .orderBy(asc(channels.name))
    .all();
}

/** The moves of one channel, newest first (a removed channel's history stays readable). */
export function listChannelHistory(engine: Engine, input: { name: string; channel: string; page?: number; perPage?: number }): ChannelHistoryView {
  checkChannelName(input.channel);
  const pkg = findPackageRow(engine, input.name);
  const page = Math.max(1, Math.floor(input.page ?? 1));
  const perPage = Math.min(MAX_HISTORY_PER_PAGE, Math.max(1, Math.floor(input.perPage ?? 20)));
  const where = and(eq(channelHistory.packageId, pkg.id), eq(channelHistory.channel, input.channel));
  const total = engine.db.select({ n: count() }).from(channelHistory).where(where).get()!.n;
  if (total === 0) throw new AppError('CHANNEL_NOT_FOUND', `${input.name} has no channel "${input.channel}" and never had one`);
  const history = engine.db
    .select({
      channel: channelHistory.channel,
      from_version: channelHistory.fromVersion,
      to_version: channelHistory.toVersion,
      moved_at: channelHistory.movedAt,
      moved_by: channelHistory.movedBy,
    })
    .from(channelHistory)
    .where(where)
    .orderBy(desc(channelHistory.movedAt), desc(channelHistory.id))
    .limit(perPage)
    .offset((page - 1) * perPage)
    .all();
  return { history, total, page, per_page: perPage };
}
