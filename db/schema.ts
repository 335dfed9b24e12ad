import { relations } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Timestamps are integers (milliseconds since the epoch). */
const ms = (name: string) => integer(name, { mode: 'number' });

export const packages = sqliteTable(
  'packages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    description: text('description'),
    author: text('author'),
    license: text('license'),
    /** Highest non-yanked version (stable preferred), or null when every version is yanked. */
    latestVersion: text('latest_version'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [uniqueIndex('packages_name_uq').on(t.name), index('packages_updated_idx').on(t.updatedAt)],
);

export const versions = sqliteTable(
  'versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    packageId: integer('package_id')
      .notNull()
      .references(() => packages.id, { onDelete: 'cascade' }),
    version: text('version').notNull(),
    /** sha256 of the package bytes, lowercase hex (the blob key). */
    digest: text('digest').notNull(),
    size: integer('size').notNull(),
    formatVersion: text('format_version').notNull(),
    /** MANIFEST.json as published (JSON text). */
    manifest: text('manifest').notNull(),
    publishedAt: ms('published_at').notNull(),
    publisher: text('publisher').notNull(),
    yanked: integer('yanked', { mode: 'boolean' }).notNull().default(false),
    yankedAt: ms('yanked_at'),
    yankReason: text('yank_reason'),
    signature: text('signature'),
    signatureKeyId: text('signature_key_id'),
    /** 'unverified' until signing keys exist (publishing toolchain issue). */
    signatureStatus: text('signature_status'),
  },
  (t) => [
    uniqueIndex('versions_package_version_uq').on(t.packageId, t.version),
    index('versions_digest_idx').on(t.digest),
  ],
);

export const resources = sqliteTable(
  'resources',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    versionId: integer('version_id')
      .notNull()
      .references(() => versions.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    name: text('name').notNull(),
    type: text('type'),
    size: integer('size').notNull(),
    compressedSize: integer('compressed_size').notNull(),
    compression: text('compression').notNull(),
    sha256: text('sha256').notNull(),
    /** `<path>.metadata` side file (JSON object of strings), if any. */
    metadata: text('metadata'),
  },
  (t) => [uniqueIndex('resources_version_path_uq').on(t.versionId, t.path)],
);

export const tags = sqliteTable(
  'tags',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    packageId: integer('package_id')
      .notNull()
      .references(() => packages.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
  },
  (t) => [uniqueIndex('tags_package_tag_uq').on(t.packageId, t.tag), index('tags_tag_idx').on(t.tag)],
);

export const downloadEvents = sqliteTable(
  'download_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    packageId: integer('package_id')
      .notNull()
      .references(() => packages.id, { onDelete: 'cascade' }),
    versionId: integer('version_id')
      .notNull()
      .references(() => versions.id, { onDelete: 'cascade' }),
    status: integer('status').notNull(),
    bytesSent: integer('bytes_sent').notNull(),
    durationMs: integer('duration_ms').notNull(),
    isRange: integer('is_range', { mode: 'boolean' }).notNull(),
    /** false when the client went away before the last byte. */
    completed: integer('completed', { mode: 'boolean' }).notNull(),
    clientAddr: text('client_addr'),
    userAgent: text('user_agent'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [
    index('download_events_version_idx').on(t.versionId),
    index('download_events_package_idx').on(t.packageId),
    index('download_events_created_idx').on(t.createdAt),
  ],
);

/** Every mutation through the action/route wrappers leaves one row here. */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    result: text('result', { enum: ['ok', 'denied', 'error'] }).notNull(),
    errorCode: text('error_code'),
    clientAddr: text('client_addr'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('audit_events_created_idx').on(t.createdAt), index('audit_events_action_idx').on(t.action)],
);

export const packagesRelations = relations(packages, ({ many }) => ({
  versions: many(versions),
  tags: many(tags),
}));

export const versionsRelations = relations(versions, ({ one, many }) => ({
  package: one(packages, { fields: [versions.packageId], references: [packages.id] }),
  resources: many(resources),
}));

export const resourcesRelations = relations(resources, ({ one }) => ({
  version: one(versions, { fields: [resources.versionId], references: [versions.id] }),
}));

export const tagsRelations = relations(tags, ({ one }) => ({
  package: one(packages, { fields: [tags.packageId], references: [packages.id] }),
}));

export type PackageRow = typeof packages.$inferSelect;
export type VersionRow = typeof versions.$inferSelect;
export type ResourceRow = typeof resources.$inferSelect;
export type DownloadEventRow = typeof downloadEvents.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;
