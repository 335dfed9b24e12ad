import path from 'node:path';
import { z } from 'zod';
import { CONFLICT_STRATEGIES, CONSISTENCY_LEVELS, NODE_ID_RE } from '@/lib/engine/replication/types';
import { ZRegion } from './mirrors';

export const MAX_REPLICATION_FACTOR = 16;

export const ZNodeId = z.string().trim().regex(NODE_ID_RE, 'a node id is 1–63 lowercase letters, digits and "-", starting with a letter or digit');
export const ZNodeIdParams = z.object({ id: ZNodeId });

/** Folder prefixes inside a bucket or container: path-like, no `..` segments. */
const ZPrefix = z
  .string()
  .trim()
  .max(256, 'a prefix is at most 256 characters')
  .regex(/^[A-Za-z0-9._\-/]*$/, 'a prefix is letters, digits, ".", "_", "-" and "/"')
  .refine((p) => !p.split('/').some((s) => s === '..' || s === '.'), 'a prefix has no "." or ".." segments');

/** S3 bucket naming rules (3–63 chars, lowercase letters, digits, "." and "-", not an IP address). */
const ZBucket = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a bucket name is 3–63 lowercase letters, digits, "." and "-", starting and ending with a letter or digit')
  .refine((b) => !b.includes('..') && !b.includes('.-') && !b.includes('-.'), 'a bucket name has no ".." and no "-" next to a "."')
  .refine((b) => !/^\d+\.\d+\.\d+\.\d+$/.test(b), 'a bucket name is not an IP address')
  .refine((b) => !b.startsWith('xn--') && !b.endsWith('-s3alias'), 'a bucket name does not start with "xn--" or end with "-s3alias"');

/** Azure container naming rules (3–63 chars, lowercase letters, digits and single "-", starting and ending with a letter or digit). */
const ZContainer = z
  .string()
  .trim()
  .regex(/^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/, 'a container name is 3–63 lowercase letters, digits and single "-", starting and ending with a letter or digit');

/** An http(s) URL without credentials in it (they would end up in the public backend and in logs). */
const ZEndpoint = z
  .string()
  .trim()
  .max(2000)
  .refine((u) => {
    try {
      const url = new URL(u);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'the endpoint is an http:// or https:// URL without credentials in it')
  .transform((u) => u.replace(/\/+$/, ''));

const ZLocalBackend = z.strictObject({
  type: z.literal('local'),
  path: z
    .string()
    .trim()
    .min(1, 'give the folder')
    .max(4096, 'a path is at most 4096 characters')
    .refine((p) => path.isAbsolute(p) && !p.includes('\0'), 'the folder is an absolute path'),
});

const ZS3Backend = z
  .strictObject({
    type: z.literal('s3'),
    endpoint: ZEndpoint.optional(),
    bucket: ZBucket,
    region: z.string().trim().regex(/^[a-z0-9-]{1,64}$/, 'an S3 region is lowercase letters, digits and "-" (e.g. us-east-1)').optional(),
    access_key_id: z.string().trim().min(1).max(256).optional(),
    secret_access_key: z.string().min(1).max(1024).optional(),
    force_path_style: z.boolean().optional(),
    prefix: ZPrefix.optional(),
  })
  .refine((b) => (b.access_key_id === undefined) === (b.secret_access_key === undefined), {
    message: 'give both access_key_id and secret_access_key, or neither (the default credential chain)',
    path: ['access_key_id'],
  });

const ZAzureBackend = z.strictObject({
  type: z.literal('azure'),
  connection_string: z.string().trim().min(1, 'give the connection string').max(4096, 'a connection string is at most 4096 characters'),
  container: ZContainer,
  prefix: ZPrefix.optional(),
});

export const ZNodeBackend = z.discriminatedUnion('type', [ZLocalBackend, ZS3Backend, ZAzureBackend], {
  error: 'backend.type is one of local, s3, azure',
});

const ZPriority = z.number().int().min(0, 'priority is 0 or more').max(1_000_000);
const ZCapacity = z.number().int().positive('capacity_bytes is a positive number of bytes').max(Number.MAX_SAFE_INTEGER).nullable();

/** POST /api/v1/replication/nodes */
export const ZNodeInput = z.strictObject({
  id: ZNodeId,
  region: ZRegion,
  /** Lower is preferred by placement. */
  priority: ZPriority.default(100),
  capacity_bytes: ZCapacity.default(null),
  backend: ZNodeBackend,
});
export type NodeInput = z.infer<typeof ZNodeInput>;

/** PATCH /api/v1/replication/nodes/{id}: region, priority, capacity (the backend is fixed: remove and re-add to move a node). */
export const ZNodePatch = z.strictObject({ region: ZRegion.optional(), priority: ZPriority.optional(), capacity_bytes: ZCapacity.optional() });
export type NodePatch = z.infer<typeof ZNodePatch>;

export const ZConsistency = z.enum(CONSISTENCY_LEVELS as ['eventual', 'quorum', 'strong', 'causal'], {
  error: `consistency is one of ${CONSISTENCY_LEVELS.join(', ')}`,
});
const ZFactor = z.number().int().min(0, 'replication_factor is 0 or more').max(MAX_REPLICATION_FACTOR, `replication_factor is at most ${MAX_REPLICATION_FACTOR}`);

/**
 * PUT /api/v1/replication/config: any subset of the fields; the ones given replace the stored
 * ones, the others stay (so a form or a script can change one setting).
 */
export const ZReplicationConfigInput = z.strictObject({
  consistency: ZConsistency.optional(),
  replication_factor: ZFactor.optional(),
  auto_failover: z.boolean().optional(),
  sync_interval_secs: z.number().int().min(5, 'sync_interval_secs is at least 5').max(86_400, 'sync_interval_secs is at most 86400').optional(),
  conflict_strategy: z.enum(CONFLICT_STRATEGIES as ['last_write_wins', 'first_write_wins', 'manual'], { error: `conflict_strategy is one of ${CONFLICT_STRATEGIES.join(', ')}` }).optional(),
});
export type ReplicationConfigInput = z.infer<typeof ZReplicationConfigInput>;

/** The audit target of a config change (route and action alike): the fields set, never anything else. */
export function configChangeTarget(input: ReplicationConfigInput): string {
  return (
    Object.entries(input)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ') || 'nothing'
  );
}

/** PUT /api/v1/packages/{name}/replication: null clears a field (the global config applies), an absent field stays. */
export const ZPackageReplicationInput = z.strictObject({
  consistency: ZConsistency.nullable().optional(),
  replication_factor: ZFactor.nullable().optional(),
});
export type PackageReplicationInput = z.infer<typeof ZPackageReplicationInput>;

/** GET /api/v1/replication/stats?from=&to= (ms since the epoch; default the last 24 hours). */
export const ZReplicationStatsQuery = z
  .object({
    from: z.coerce.number().int().min(0).max(8.64e15).optional(),
    to: z.coerce.number().int().min(0).max(8.64e15).optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from is before to', path: ['from'] })
  .refine((q) => q.from === undefined || q.to === undefined || q.to - q.from <= 366 * 86_400_000, { message: 'a range is at most 366 days', path: ['from'] });
