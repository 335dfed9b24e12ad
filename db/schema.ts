import { relations } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Timestamps are integers (milliseconds since the epoch). */
const ms = (name: string) => integer(name, { mode: 'number' });
/** Foreign keys that follow their parent row away. */
const packageRef = () => integer('package_id').notNull().references(() => packages.id, { onDelete: 'cascade' });
const userRef = () => integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' });

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
    /** public: anyone reads; restricted: signed-in users with read permission; private: owners and grantees. */
    visibility: text('visibility', { enum: ['public', 'restricted', 'private'] }).notNull().default('public'),
    /** Per-package "require signature" policy; null follows the global policy. */
    requireSignature: integer('require_signature', { mode: 'boolean' }),
    homepage: text('homepage'),
    /** Markdown, rendered without raw HTML. */
    readme: text('readme'),
    /** Description / tags set through Update: later publishes' manifests no longer replace them. */
    descriptionEdited: integer('description_edited', { mode: 'boolean' }).notNull().default(false),
    tagsEdited: integer('tags_edited', { mode: 'boolean' }).notNull().default(false),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [uniqueIndex('packages_name_uq').on(t.name), index('packages_updated_idx').on(t.updatedAt)],
);

export const versions = sqliteTable(
  'versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    packageId: packageRef(),
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
    /** verified · invalid · unknown_key · revoked (the key was revoked after signing). */
    signatureStatus: text('signature_status'),
    /** Who holds the signing key: a username, or 'registry' for the registry's own key. */
    signatureSigner: text('signature_signer'),
    /** Stored opaquely (AES-256-GCM stream format); the manifest was supplied at publish. */
    encrypted: integer('encrypted', { mode: 'boolean' }).notNull().default(false),
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
    packageId: packageRef(),
    tag: text('tag').notNull(),
  },
  (t) => [uniqueIndex('tags_package_tag_uq').on(t.packageId, t.tag), index('tags_tag_idx').on(t.tag)],
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

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    username: text('username').notNull(),
    email: text('email').notNull(),
    /** scrypt$N$r$p$<salt b64>$<hash b64> (node:crypto scrypt). */
    passwordHash: text('password_hash').notNull(),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
    lastLoginAt: ms('last_login_at'),
  },
  (t) => [uniqueIndex('users_username_uq').on(t.username), uniqueIndex('users_email_uq').on(t.email)],
);

export const roles = sqliteTable(
  'roles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    description: text('description'),
    builtIn: integer('built_in', { mode: 'boolean' }).notNull().default(false),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [uniqueIndex('roles_name_uq').on(t.name)],
);

/** Permissions are data: a role holds a set of named permissions. */
export const rolePermissions = sqliteTable(
  'role_permissions',
  {
    roleId: integer('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    permission: text('permission').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roleId, t.permission] })],
);

export const userRoles = sqliteTable(
  'user_roles',
  {
    userId: userRef(),
    roleId: integer('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roleId] }), index('user_roles_role_idx').on(t.roleId)],
);

/** Server-side sessions; the cookie holds a random token, the row its sha256. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: userRef(),
    createdAt: ms('created_at').notNull(),
    lastSeenAt: ms('last_seen_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
    clientAddr: text('client_addr'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/** API tokens `torsh_<public_id>_<secret>`; only the secret's sha256 is stored. */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    publicId: text('public_id').notNull(),
    userId: userRef(),
    name: text('name').notNull(),
    secretHash: text('secret_hash').notNull(),
    /** JSON array of permission names the token may use (a subset of its user's). */
    scopes: text('scopes').notNull(),
    createdAt: ms('created_at').notNull(),
    expiresAt: ms('expires_at'),
    lastUsedAt: ms('last_used_at'),
    revokedAt: ms('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_public_id_uq').on(t.publicId), index('api_tokens_user_idx').on(t.userId)],
);

/** Sign-in attempts, for rate limiting per account and per address (shared by all processes). */
export const loginAttempts = sqliteTable(
  'login_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    username: text('username').notNull(),
    clientAddr: text('client_addr'),
    success: integer('success', { mode: 'boolean' }).notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('login_attempts_user_idx').on(t.username, t.createdAt), index('login_attempts_addr_idx').on(t.clientAddr, t.createdAt)],
);

export const packageOwners = sqliteTable(
  'package_owners',
  {
    packageId: packageRef(),
    userId: userRef(),
  },
  (t) => [primaryKey({ columns: [t.packageId, t.userId] }), index('package_owners_user_idx').on(t.userId)],
);

/** Per-user grants on one package: one row per permission. */
export const packageGrants = sqliteTable(
  'package_grants',
  {
    packageId: packageRef(),
    userId: userRef(),
    permission: text('permission').notNull(),
  },
  (t) => [primaryKey({ columns: [t.packageId, t.userId, t.permission] }), index('package_grants_user_idx').on(t.userId)],
);

/** Ed25519 public keys; user_id null is the registry's own key (signs browser publishes). */
export const signingKeys = sqliteTable(
  'signing_keys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    keyId: text('key_id').notNull(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** base64 of the raw 32-byte Ed25519 public key. */
    publicKey: text('public_key').notNull(),
    createdAt: ms('created_at').notNull(),
    revokedAt: ms('revoked_at'),
  },
  (t) => [uniqueIndex('signing_keys_key_id_uq').on(t.keyId), index('signing_keys_user_idx').on(t.userId)],
);

/** Global settings (JSON values), e.g. the signature policy. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

/** Deleted name@version pairs: never published again (with other bytes or the same). */
export const tombstones = sqliteTable(
  'tombstones',
  {
    packageName: text('package_name').notNull(),
    version: text('version').notNull(),
    digest: text('digest').notNull(),
    deletedAt: ms('deleted_at').notNull(),
    deletedBy: text('deleted_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.packageName, t.version] })],
);

/** Named aliases (stable, production…) that point at one version of a package. */
export const channels = sqliteTable(
  'channels',
  {
    packageId: packageRef(),
    name: text('name').notNull(),
    versionId: integer('version_id')
      .notNull()
      .references(() => versions.id, { onDelete: 'cascade' }),
    updatedAt: ms('updated_at').notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.packageId, t.name] }), index('channels_version_idx').on(t.versionId)],
);

/** Every channel move (to_version null: the channel was removed). */
export const channelHistory = sqliteTable(
  'channel_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    packageId: packageRef(),
    channel: text('channel').notNull(),
    fromVersion: text('from_version'),
    toVersion: text('to_version'),
    movedAt: ms('moved_at').notNull(),
    movedBy: text('moved_by').notNull(),
  },
  (t) => [index('channel_history_package_idx').on(t.packageId, t.channel, t.movedAt)],
);

/**
 * The change feed (publish, yank, unyank, delete, channel, visibility) in commit order; seq is
 * monotonically increasing. Mirrors follow it.
 */
export const changes = sqliteTable(
  'changes',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['publish', 'yank', 'unyank', 'delete', 'channel', 'visibility'] }).notNull(),
    name: text('name').notNull(),
    version: text('version'),
    digest: text('digest'),
    size: integer('size'),
    /** Kind-specific fields (channel name, visibility…) as JSON. */
    data: text('data'),
    /**
     * Whether anonymous followers (mirrors) may see this change: the package was public when it
     * was committed (a visibility change: public before or after it).
     */
    public: integer('public', { mode: 'boolean' }).notNull().default(false),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('changes_name_idx').on(t.name, t.seq), index('changes_public_idx').on(t.public, t.seq)],
);

/** Mirrors registered on the origin (ManageMirrors): probed by health-check jobs. */
export const mirrors = sqliteTable(
  'mirrors',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Base URL (scheme, host, port, optional path prefix), without a trailing slash. */
    url: text('url').notNull(),
    region: text('region').notNull(),
    /** Lower is preferred (priority selection). */
    priority: integer('priority').notNull().default(100),
    /** Share of weighted-random selection (≥ 1). */
    weight: integer('weight').notNull().default(100),
    state: text('state', { enum: ['healthy', 'degraded', 'unhealthy'] }).notNull(),
    /** Consecutive probe results pointing away from the current state (no flapping). */
    pendingState: text('pending_state', { enum: ['healthy', 'degraded', 'unhealthy'] }),
    pendingCount: integer('pending_count').notNull().default(0),
    lastCheckAt: ms('last_check_at'),
    lastLatencyMs: real('last_latency_ms'),
    /** Feed position the mirror reported, and its lag behind the origin's head (changes, seconds). */
    position: integer('position'),
    lagChanges: integer('lag_changes'),
    lagSeconds: real('lag_seconds'),
    /** Requests the mirror is serving (its health reports it): least-loaded selection. */
    load: integer('load'),
    bytesHeld: integer('bytes_held'),
    lastError: text('last_error'),
    stateChangedAt: ms('state_changed_at').notNull(),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [uniqueIndex('mirrors_url_uq').on(t.url)],
);

/** Every health probe of a mirror (the history and the state timeline); pruned by age. */
export const mirrorChecks = sqliteTable(
  'mirror_checks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    mirrorId: integer('mirror_id')
      .notNull()
      .references(() => mirrors.id, { onDelete: 'cascade' }),
    at: ms('at').notNull(),
    ok: integer('ok', { mode: 'boolean' }).notNull(),
    httpStatus: integer('http_status'),
    latencyMs: real('latency_ms'),
    lagChanges: integer('lag_changes'),
    /** The mirror's state after this probe. */
    state: text('state', { enum: ['healthy', 'degraded', 'unhealthy'] }).notNull(),
    error: text('error'),
  },
  (t) => [index('mirror_checks_mirror_idx').on(t.mirrorId, t.at), index('mirror_checks_at_idx').on(t.at)],
);

/** Client address ranges → region (geographic selection when the client names none). */
export const regionRanges = sqliteTable('region_ranges', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** CIDR, IPv4 or IPv6. */
  cidr: text('cidr').notNull(),
  region: text('region').notNull(),
  createdAt: ms('created_at').notNull(),
});

/** Edge caches registered on the origin (ManageCdn): stats collected by a job, purged on change. */
export const edges = sqliteTable(
  'edges',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    url: text('url').notNull(),
    region: text('region').notNull(),
    /** A label: self-hosted, cloudflare, fastly… */
    provider: text('provider').notNull().default('torsh-edge'),
    /** The edge's --purge-token: sent to the edge only, never returned by the API nor logged. */
    purgeToken: text('purge_token').notNull(),
    state: text('state', { enum: ['healthy', 'degraded', 'unhealthy'] }).notNull(),
    failures: integer('failures').notNull().default(0),
    lastCheckAt: ms('last_check_at'),
    lastError: text('last_error'),
    /** The edge's counters at the last collection (JSON), to record deltas; a drop means it restarted. */
    lastStats: text('last_stats'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [uniqueIndex('edges_url_uq').on(t.url)],
);

/** A mirror process's own position in its upstream's change feed (one row per upstream). */
export const mirrorSync = sqliteTable('mirror_sync', {
  upstream: text('upstream').primaryKey(),
  /** Every change with seq ≤ position is applied (blobs fetched and verified). */
  position: integer('position').notNull().default(0),
  /** The upstream's newest seq, as last seen. */
  head: integer('head').notNull().default(0),
  lastContactAt: ms('last_contact_at'),
  /** When the mirror last knew itself caught up with the upstream. */
  caughtUpAt: ms('caught_up_at'),
  lastError: text('last_error'),
  updatedAt: ms('updated_at').notNull(),
});

/**
 * Blobs and temp files that a publish in progress holds: garbage collection and the temp sweep
 * never remove a held digest or path. Rows expire so a crashed publish cannot pin forever.
 */
export const blobHolds = sqliteTable(
  'blob_holds',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    digest: text('digest'),
    tempPath: text('temp_path'),
    createdAt: ms('created_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
  },
  (t) => [index('blob_holds_digest_idx').on(t.digest), index('blob_holds_temp_idx').on(t.tempPath)],
);

/** Finished resumable uploads being (or already) published: the claim is taken atomically. */
export const uploadClaims = sqliteTable('upload_claims', {
  uploadId: text('upload_id').primaryKey(),
  state: text('state', { enum: ['publishing', 'published'] }).notNull(),
  claimedAt: ms('claimed_at').notNull(),
  claimedBy: text('claimed_by').notNull(),
  /** name@version once published. */
  result: text('result'),
});

/** Server-issued challenges a new signing key must sign to prove possession. */
export const keyChallenges = sqliteTable(
  'key_challenges',
  {
    /** sha256 (hex) of the challenge string; the challenge itself is not stored. */
    id: text('id').primaryKey(),
    userId: userRef(),
    createdAt: ms('created_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
  },
  (t) => [index('key_challenges_expires_idx').on(t.expiresAt)],
);

/**
 * Raw metric events (downloads, publishes, uploads, API requests, job runs, gauge samples), kept
 * for TORSH_METRICS_RAW_RETENTION_DAYS and then pruned; the rollups below stay. No foreign keys:
 * a deleted package's history stays in the figures.
 */
export const metricEvents = sqliteTable(
  'metric_events',
  {
    // A plain rowid (no AUTOINCREMENT bookkeeping): rows are only ever appended and pruned.
    id: integer('id').primaryKey(),
    series: text('series').notNull(),
    at: ms('at').notNull(),
    /** The measured value: a duration in ms, or a gauge's reading. */
    value: real('value'),
    bytes: integer('bytes').notNull().default(0),
    status: integer('status'),
    ok: integer('ok', { mode: 'boolean' }).notNull(),
    error: integer('error', { mode: 'boolean' }).notNull(),
    /** The rollup dimensions this event counted under, space-separated ('p:1 v:2 r:eu-west'). */
    dims: text('dims').notNull(),
    /** The client address of a download. */
    client: text('client'),
    /** What is unusual about the event, as JSON (a range, an incomplete download, a publish's error code); null otherwise. */
    detail: text('detail'),
  },
  // One index, for pruning by age: each index costs every insert (measured: 2 → 1 saved ~10 µs an event).
  (t) => [index('metric_events_at_idx').on(t.at)],
);

/**
 * Aggregates of metric events per series, dimension and time bucket: res = 60000 (minute),
 * 3600000 (hour) or 0 (all time, bucket 0). Maintained as events arrive; every figure on a page
 * comes from here.
 */
export const metricRollups = sqliteTable(
  'metric_rollups',
  {
    series: text('series').notNull(),
    /** '' for the whole series, else 'p:<packageId>', 'v:<versionId>', 'u:<userId>', 'route:…'… */
    dim: text('dim').notNull(),
    res: integer('res').notNull(),
    bucket: ms('bucket').notNull(),
    count: integer('count').notNull(),
    /** Events that succeeded in the series' sense (a full download, a 2xx/3xx answer, a job run that succeeded). */
    ok: integer('ok').notNull(),
    errors: integer('errors').notNull(),
    bytes: integer('bytes').notNull(),
    /** Sum, min and max of the events' values (null when no event carried one). */
    vsum: real('vsum').notNull(),
    vmin: real('vmin'),
    vmax: real('vmax'),
    /** Log-bucket histogram of the values: JSON object {bucketIndex: count}. */
    hist: text('hist').notNull(),
  },
  // WITHOUT ROWID (hand-added to the migration): rows are stored in primary-key order, so one
  // dim's buckets at one resolution are contiguous pages and a 30-day read does not grow with the
  // traffic that wrote them. No second index: each costs every write.
  (t) => [primaryKey({ columns: [t.series, t.res, t.dim, t.bucket] })],
);

/** Durable background jobs (lib/engine/jobs): claimed with a lease, retried with backoff. */
export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').notNull(),
    /** JSON. */
    payload: text('payload').notNull(),
    state: text('state', { enum: ['queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled'] }).notNull(),
    priority: integer('priority').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    runAt: ms('run_at').notNull(),
    leaseUntil: ms('lease_until'),
    heartbeatAt: ms('heartbeat_at'),
    workerId: text('worker_id'),
    /** JSON {done, total, message} reported by the running handler. */
    progress: text('progress'),
    lastError: text('last_error'),
    /** JSON result of a succeeded run. */
    result: text('result'),
    /** A second enqueue with the same key returns the first job instead of adding one. */
    idempotencyKey: text('idempotency_key'),
    /** The schedule that enqueued it, if any. */
    scheduleName: text('schedule_name'),
    createdAt: ms('created_at').notNull(),
    startedAt: ms('started_at'),
    finishedAt: ms('finished_at'),
  },
  (t) => [
    uniqueIndex('jobs_idempotency_uq').on(t.idempotencyKey),
    index('jobs_state_run_at_idx').on(t.state, t.runAt),
    index('jobs_kind_state_idx').on(t.kind, t.state),
    index('jobs_finished_idx').on(t.finishedAt),
  ],
);

/** Recurring schedules: a cron expression that enqueues a job of a kind. */
export const jobSchedules = sqliteTable('job_schedules', {
  name: text('name').primaryKey(),
  kind: text('kind').notNull(),
  payload: text('payload').notNull(),
  cron: text('cron').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  nextRunAt: ms('next_run_at').notNull(),
  lastRunAt: ms('last_run_at'),
  lastJobId: integer('last_job_id'),
});

/** Alert rules over a metric series (the crate's AlertThreshold kinds). */
export const alertRules = sqliteTable('alert_rules', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  series: text('series').notNull(),
  dim: text('dim').notNull().default(''),
  /** Which figure of the window: count, bytes, errors, error_rate, mean, min, max, p50, p95, p99, last. */
  stat: text('stat').notNull(),
  kind: text('kind', { enum: ['maximum', 'max_count', 'max_bytes', 'max_percentage', 'minimum'] }).notNull(),
  threshold: real('threshold').notNull(),
  windowMs: integer('window_ms').notNull(),
  /** The condition must hold this long before the alert fires. */
  forMs: integer('for_ms').notNull().default(0),
  severity: text('severity', { enum: ['info', 'warning', 'error', 'critical'] }).notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  silencedUntil: ms('silenced_until'),
  createdBy: text('created_by').notNull(),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

/** The current state of each rule: ok → pending (condition holds, "for" not yet met) → firing. */
export const alertStates = sqliteTable('alert_states', {
  ruleId: integer('rule_id')
    .primaryKey()
    .references(() => alertRules.id, { onDelete: 'cascade' }),
  state: text('state', { enum: ['ok', 'pending', 'firing'] }).notNull(),
  since: ms('since').notNull(),
  lastValue: real('last_value'),
  lastEvaluatedAt: ms('last_evaluated_at'),
  acknowledgedBy: text('acknowledged_by'),
  acknowledgedAt: ms('acknowledged_at'),
});

/** Alert history: fired, resolved, acknowledged, silenced. */
export const alertEvents = sqliteTable(
  'alert_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ruleId: integer('rule_id').notNull(),
    /** The rule's name and severity when it happened (the rule may change or go later). */
    ruleName: text('rule_name').notNull(),
    severity: text('severity').notNull(),
    kind: text('kind', { enum: ['firing', 'resolved', 'acknowledged', 'silenced'] }).notNull(),
    value: real('value'),
    message: text('message').notNull(),
    actor: text('actor'),
    at: ms('at').notNull(),
  },
  (t) => [index('alert_events_at_idx').on(t.at), index('alert_events_rule_idx').on(t.ruleId, t.at)],
);

/** Webhook endpoints that receive alert notifications (HMAC-SHA256 signed). */
export const webhooks = sqliteTable('webhooks', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  url: text('url').notNull(),
  /** The signing secret; shown once at creation, never returned afterwards. */
  secret: text('secret').notNull(),
  minSeverity: text('min_severity', { enum: ['info', 'warning', 'error', 'critical'] }).notNull().default('info'),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  createdBy: text('created_by').notNull(),
  createdAt: ms('created_at').notNull(),
});

/** Each attempt to deliver a notification, with the receiver's answer. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    webhookId: integer('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    alertEventId: integer('alert_event_id'),
    jobId: integer('job_id'),
    attempt: integer('attempt').notNull(),
    /** JSON body as sent. */
    body: text('body').notNull(),
    statusCode: integer('status_code'),
    /** The first 2 KiB of the receiver's answer. */
    response: text('response'),
    error: text('error'),
    durationMs: integer('duration_ms'),
    at: ms('at').notNull(),
  },
  (t) => [index('webhook_deliveries_webhook_idx').on(t.webhookId, t.at)],
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

/** Storage nodes that hold replicas of package blobs (ManageReplication): probed by check jobs. */
export const replicationNodes = sqliteTable('replication_nodes', {
  /** Chosen by the admin: ^[a-z0-9][a-z0-9-]{0,62}$ (metric dim `n:<id>`). */
  id: text('id').primaryKey(),
  region: text('region').notNull(),
  /** Lower is preferred by placement. */
  priority: integer('priority').notNull().default(100),
  /** Bytes the node may hold (null: unbounded); placement prefers free capacity. */
  capacityBytes: integer('capacity_bytes'),
  backendType: text('backend_type', { enum: ['local', 's3', 'azure'] }).notNull(),
  /** The backend's settings without secrets, as JSON (NodeBackendPublic): what the API returns. */
  backend: text('backend').notNull(),
  /** The backend's secrets as JSON (NodeBackendSecret): never returned, audited or logged. */
  secret: text('secret'),
  state: text('state', { enum: ['healthy', 'degraded', 'unhealthy'] }).notNull(),
  /** Consecutive probe results pointing away from the current state (no flapping). */
  pendingState: text('pending_state', { enum: ['healthy', 'degraded', 'unhealthy'] }),
  pendingCount: integer('pending_count').notNull().default(0),
  lastCheckAt: ms('last_check_at'),
  lastLatencyMs: real('last_latency_ms'),
  lastError: text('last_error'),
  /** Bytes of present replicas on the node (kept by the apply job). */
  usedBytes: integer('used_bytes').notNull().default(0),
  stateChangedAt: ms('state_changed_at').notNull(),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

/** A per-package override of the replication config (null fields follow the global config). */
export const packageReplication = sqliteTable('package_replication', {
  packageId: integer('package_id')
    .primaryKey()
    .references(() => packages.id, { onDelete: 'cascade' }),
  consistency: text('consistency', { enum: ['eventual', 'quorum', 'strong', 'causal'] }),
  replicationFactor: integer('replication_factor'),
  updatedAt: ms('updated_at').notNull(),
});

/**
 * What each node should hold and whether it does: one row per (node, name@version). Keyed by name
 * and version, not a versions FK, so a deleted version's row lives on (state `deleting`) until the
 * node's copy is gone.
 */
export const replicas = sqliteTable(
  'replicas',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    nodeId: text('node_id')
      .notNull()
      .references(() => replicationNodes.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    version: text('version').notNull(),
    digest: text('digest').notNull(),
    size: integer('size').notNull(),
    /** The yank flag the node's ref should carry. */
    yanked: integer('yanked', { mode: 'boolean' }).notNull().default(false),
    /** pending: to be written (or rewritten); present: durable and digest-verified on the node; deleting: to be removed. */
    state: text('state', { enum: ['pending', 'present', 'deleting'] }).notNull(),
    /** Publish order within the package (the publish change's seq): causal consistency applies in this order. */
    seq: integer('seq').notNull(),
    /** Commit time of the change being replicated (publish, yank, delete): lag = durable_at − committed_at. */
    committedAt: ms('committed_at').notNull(),
    durableAt: ms('durable_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('replicas_node_version_uq').on(t.nodeId, t.name, t.version),
    index('replicas_version_idx').on(t.name, t.version),
    index('replicas_state_idx').on(t.state, t.nodeId),
  ],
);

/** Two digests for one name@version (the catalogue's and a node's): resolved by the configured strategy or an admin. */
export const replicationConflicts = sqliteTable(
  'replication_conflicts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    version: text('version').notNull(),
    nodeId: text('node_id').notNull(),
    catalogueDigest: text('catalogue_digest').notNull(),
    catalogueWrittenAt: ms('catalogue_written_at').notNull(),
    nodeDigest: text('node_digest').notNull(),
    nodeWrittenAt: ms('node_written_at').notNull(),
    detectedAt: ms('detected_at').notNull(),
    /** last_write_wins · first_write_wins · manual: the strategy in force when it was detected. */
    strategy: text('strategy', { enum: ['last_write_wins', 'first_write_wins', 'manual'] }).notNull(),
    state: text('state', { enum: ['open', 'resolved'] }).notNull(),
    winnerDigest: text('winner_digest'),
    resolvedAt: ms('resolved_at'),
    /** A username, or 'system' for a strategy's automatic resolution. */
    resolvedBy: text('resolved_by'),
  },
  (t) => [index('replication_conflicts_state_idx').on(t.state, t.detectedAt), index('replication_conflicts_version_idx').on(t.name, t.version)],
);

export const tagsRelations = relations(tags, ({ one }) => ({
  package: one(packages, { fields: [tags.packageId], references: [packages.id] }),
}));

export type PackageRow = typeof packages.$inferSelect;
export type VersionRow = typeof versions.$inferSelect;
export type ResourceRow = typeof resources.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type RoleRow = typeof roles.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type Visibility = PackageRow['visibility'];
export type SigningKeyRow = typeof signingKeys.$inferSelect;
export type ChannelRow = typeof channels.$inferSelect;
export type ChangeRow = typeof changes.$inferSelect;
export type TombstoneRow = typeof tombstones.$inferSelect;
export type MetricRollupRow = typeof metricRollups.$inferSelect;
export type JobRow = typeof jobs.$inferSelect;
export type JobScheduleRow = typeof jobSchedules.$inferSelect;
export type AlertRuleRow = typeof alertRules.$inferSelect;
export type AlertStateRow = typeof alertStates.$inferSelect;
export type AlertEventRow = typeof alertEvents.$inferSelect;
export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type MirrorRow = typeof mirrors.$inferSelect;
export type MirrorCheckRow = typeof mirrorChecks.$inferSelect;
export type MirrorState = MirrorRow['state'];
export type EdgeRow = typeof edges.$inferSelect;
export type RegionRangeRow = typeof regionRanges.$inferSelect;
export type MirrorSyncRow = typeof mirrorSync.$inferSelect;
/** Backup repositories the server writes to (ManageBackups); the repository itself is the truth. */
export const backupRepositories = sqliteTable('backup_repositories', {
  /** Chosen by the admin: ^[a-z0-9][a-z0-9-]{0,62}$ (metric dim `b:<id>`). */
  id: text('id').primaryKey(),
  description: text('description'),
  backendType: text('backend_type', { enum: ['local', 's3', 'azure'] }).notNull(),
  /** The location without secrets, as JSON (replication's NodeBackendPublic shape): what the API returns. */
  backend: text('backend').notNull(),
  /** The location's secrets as JSON (NodeBackendSecret): never returned, audited or logged. */
  secret: text('secret'),
  /** Where the server reads the repository password: JSON {type:'file',path} or {type:'env',name}. Never the password. */
  passwordSource: text('password_source').notNull(),
  /** The repository's config id, checked on every open (the location still holds the same repository). */
  repoUid: text('repo_uid').notNull(),
  /** Scheduled backups (cron, UTC; null: none) and their tags. */
  scheduleCron: text('schedule_cron'),
  scheduleTags: text('schedule_tags').notNull().default('[]'),
  /** RetentionPolicy as JSON (null: keep everything); applied after each scheduled backup, then pruned. */
  retention: text('retention'),
  lastRunAt: ms('last_run_at'),
  lastSuccessAt: ms('last_success_at'),
  lastError: text('last_error'),
  /** Stored bytes of the repository after the last run or prune (the chart reads the metrics rollups). */
  storedBytes: integer('stored_bytes').notNull().default(0),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

/** What the server last read of each repository's snapshots (refreshed after every job): pages read this, not the repository. */
export const backupSnapshots = sqliteTable(
  'backup_snapshots',
  {
    repositoryId: text('repository_id')
      .notNull()
      .references(() => backupRepositories.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    time: ms('time').notNull(),
    kind: text('kind', { enum: ['registry', 'package'] }).notNull(),
    host: text('host').notNull(),
    tags: text('tags').notNull().default('[]'),
    description: text('description'),
    recoveryPointName: text('recovery_point_name'),
    recoveryPointDescription: text('recovery_point_description'),
    packageName: text('package_name'),
    packageVersion: text('package_version'),
    logicalBytes: integer('logical_bytes').notNull(),
    newBytes: integer('new_bytes').notNull(),
    fileCount: integer('file_count').notNull(),
    uniqueChunks: integer('unique_chunks').notNull(),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [primaryKey({ columns: [t.repositoryId, t.id] }), index('backup_snapshots_time_idx').on(t.repositoryId, t.time)],
);

export type ReplicationNodeRow = typeof replicationNodes.$inferSelect;
export type ReplicaRow = typeof replicas.$inferSelect;
export type ReplicationConflictRow = typeof replicationConflicts.$inferSelect;
export type NodeState = ReplicationNodeRow['state'];
export type BackupRepositoryRow = typeof backupRepositories.$inferSelect;
export type BackupSnapshotRow = typeof backupSnapshots.$inferSelect;
