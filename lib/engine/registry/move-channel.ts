import { and, eq } from 'drizzle-orm';
import { channelHistory, channels, versions } from '@/db/schema';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { checkChannelName } from './channel-name';
import { findPackageRow, findVersionRow } from './find-version';
import { recordChange } from './record-change';
import type { ChannelView } from './views';

type Current = { version: string } | undefined;

function currentTarget(engine: Engine, packageId: number, channel: string): Current {
  return engine.db
    .select({ version: versions.version })
    .from(channels)
    .innerJoin(versions, eq(versions.id, channels.versionId))
    .where(and(eq(channels.packageId, packageId), eq(channels.name, channel)))
    .get();
}

/**
 * ManageVersions: point a channel at a version (creating the channel), atomically, with the move
 * in the channel's history and the change feed. A yanked version is refused: a channel is a
 * promise that the version is fit to deploy. Pointing it where it already points changes nothing.
 */
export function setChannel(engine: Engine, actor: Actor, input: { name: string; channel: string; version: string }): ChannelView {
  checkChannelName(input.channel);
  const now = Date.now();
  return engine.db.transaction((tx) => {
    const { pkg, row } = findVersionRow(engine, input.name, input.version);
    if (row.yanked) {
      throw new AppError('VERSION_YANKED', `${input.name}@${input.version} is yanked; unyank it or point "${input.channel}" at another version`);
    }
    const from = currentTarget(engine, pkg.id, input.channel);
    if (from?.version !== row.version) {
      tx.insert(channels)
        .values({ packageId: pkg.id, name: input.channel, versionId: row.id, updatedAt: now, updatedBy: actor.name })
        .onConflictDoUpdate({ target: [channels.packageId, channels.name], set: { versionId: row.id, updatedAt: now, updatedBy: actor.name } })
        .run();
      tx.insert(channelHistory)
        .values({ packageId: pkg.id, channel: input.channel, fromVersion: from?.version ?? null, toVersion: row.version, movedAt: now, movedBy: actor.name })
        .run();
      recordChange(
        tx,
        { kind: 'channel', name: pkg.name, version: row.version, digest: row.digest, size: row.size, data: { channel: input.channel, from: from?.version ?? null, to: row.version } },
        now,
      );
    }
    const saved = tx.select().from(channels).where(and(eq(channels.packageId, pkg.id), eq(channels.name, input.channel))).get()!;
    return { name: input.channel, version: row.version, updated_at: saved.updatedAt, updated_by: saved.updatedBy };
  });
}

/** ManageVersions: remove a channel (its history stays). */
export function removeChannel(engine: Engine, actor: Actor, input: { name: string; channel: string }): { name: string; removed: true } {
  checkChannelName(input.channel);
  const now = Date.now();
  engine.db.transaction((tx) => {
    const pkg = findPackageRow(engine, input.name);
    const from = currentTarget(engine, pkg.id, input.channel);
    if (!from) throw new AppError('CHANNEL_NOT_FOUND', `${input.name} has no channel "${input.channel}"`);
    tx.delete(channels).where(and(eq(channels.packageId, pkg.id), eq(channels.name, input.channel))).run();
    tx.insert(channelHistory).values({ packageId: pkg.id, channel: input.channel, fromVersion: from.version, toVersion: null, movedAt: now, movedBy: actor.name }).run();
    recordChange(tx, { kind: 'channel', name: pkg.name, data: { channel: input.channel, from: from.version, to: null } }, now);
  });
  return { name: input.channel, removed: true };
}
