import { z } from 'zod';
import { SELECTION_STRATEGIES } from '@/lib/engine/mirrors/select-mirror';
import { REGION_RE } from '@/lib/engine/mirrors/region-ranges';

export const ZRegion = z.string().trim().toLowerCase().regex(REGION_RE, 'a region is lowercase letters, digits and "-" (e.g. eu-west)');

const mirrorFields = {
  url: z.string().trim().min(1, 'give the mirror’s base URL').max(2000),
  region: ZRegion,
  priority: z.coerce.number().int().min(0, 'priority is 0 or more').max(1_000_000).default(100),
  weight: z.coerce.number().int().min(1, 'weight is at least 1').max(1_000_000).default(100),
};

export const ZMirrorInput = z.object(mirrorFields);
export const ZMirrorPatch = z
  .object({ url: mirrorFields.url, region: mirrorFields.region, priority: z.coerce.number().int().min(0).max(1_000_000), weight: z.coerce.number().int().min(1).max(1_000_000) })
  .partial();

export const ZMirrorIdParams = z.object({ id: z.coerce.number().int().positive() });
export const ZUpdateMirrorAction = ZMirrorPatch.extend({ id: z.coerce.number().int().positive() });

export const ZChecksQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  per_page: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZStrategy = z.enum(SELECTION_STRATEGIES, { message: `strategy is one of ${SELECTION_STRATEGIES.join(', ')}` });
export const ZRegionRange = z.object({ cidr: z.string().trim().min(1).max(64), region: ZRegion });

/** PUT /api/v1/mirrors/settings: either or both. */
export const ZMirrorSettingsInput = z.object({
  strategy: ZStrategy.optional(),
  region_ranges: z.array(ZRegionRange).max(10_000).optional(),
});

export const ZLocationsQuery = z.object({ region: ZRegion.optional() });

/**
 * A download's own query: `redirect=1` (redirect mode) and the region it ranks by. Anything else,
 * or a malformed value, is ignored: a download never fails over its query string.
 */
export const ZDownloadQuery = z.object({ redirect: z.literal('1').optional().catch(undefined), region: ZRegion.optional().catch(undefined) });
