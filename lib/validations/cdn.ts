import { z } from 'zod';
import { PACKAGE_NAME_RE } from '@/lib/engine/format/manifest-schema';
import { ZMetricsRange } from './metrics';

const REGION_RE = /^[a-z0-9][a-z0-9-]{0,31}$/;

export const ZEdgeUrl = z.string().trim().min(1, 'give the edge URL (e.g. http://edge-eu.example:8081)').max(2000);
export const ZEdgeRegion = z
  .string()
  .trim()
  .toLowerCase()
  .regex(REGION_RE, 'a region is lowercase letters, digits and "-", up to 32 (e.g. eu-west)');
export const ZEdgeProvider = z.string().trim().max(40, 'a provider label is at most 40 characters');
/** The edge's --purge-token; never echoed back. */
export const ZPurgeToken = z
  .string()
  .min(1, "give the edge's purge token (its --purge-token or TORSH_PURGE_TOKEN)")
  .max(512)
  .regex(/^[\x21-\x7e]+$/, 'a purge token is printable ASCII without spaces');

export const ZEdgeInput = z.object({ url: ZEdgeUrl, region: ZEdgeRegion, provider: ZEdgeProvider.default('torsh-edge'), purge_token: ZPurgeToken });
export type EdgeFormInput = z.infer<typeof ZEdgeInput>;

/** An empty purge token in an edit keeps the stored one. */
export const ZEdgePatch = z.object({
  url: ZEdgeUrl.optional(),
  region: ZEdgeRegion.optional(),
  provider: ZEdgeProvider.optional(),
  purge_token: z.union([z.literal('').transform(() => undefined), ZPurgeToken]).optional(),
});

export const ZEdgeIdParams = z.object({ id: z.coerce.number().int().positive() });

/** One version (`name` and `version`), one package (`name`) or everything (`all: true`). */
export const ZPurgeInput = z
  .object({
    name: z.string().regex(PACKAGE_NAME_RE, 'not a package name').optional(),
    version: z.string().trim().min(1).max(128).optional(),
    all: z.boolean().optional(),
  })
  .superRefine((p, ctx) => {
    if (p.all && (p.name || p.version)) ctx.addIssue({ code: 'custom', path: ['all'], message: 'purge everything, or a package (and version), not both' });
    if (!p.all && !p.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'name a package (and optionally a version), or send {"all": true}' });
    if (p.version && !p.name) ctx.addIssue({ code: 'custom', path: ['version'], message: 'a version needs its package name' });
  })
  .transform((p) => (p.all ? { all: true as const } : p.version ? { name: p.name!, version: p.version } : { name: p.name! }));

export const ZTrafficQuery = z.intersection(ZMetricsRange, z.object({ step: z.coerce.number().int().positive().optional() }));
