import { z } from 'zod';
import { SERIES } from '@/lib/engine/metrics/metric-event';
import { MAX_RANGE_MS } from '@/lib/engine/metrics/metrics-range';

const ZMs = z.coerce.number({ error: 'use ms since the epoch' }).int('use whole ms since the epoch').min(0).max(8_640_000_000_000);

/** `from`/`to` in ms since the epoch (default: the last 24 h); from < to and at most MAX_RANGE_MS apart. */
export const ZMetricsRange = z
  .object({ from: ZMs.optional(), to: ZMs.optional() })
  .refine((r) => r.from === undefined || r.to === undefined || r.from < r.to, { message: '`from` must be before `to`', path: ['from'] })
  .refine((r) => r.from === undefined || r.to === undefined || r.to - r.from <= MAX_RANGE_MS, {
    message: `a range may cover at most ${MAX_RANGE_MS / 86_400_000} days`,
    path: ['from'],
  });

export const METRIC_SERIES = Object.values(SERIES) as [string, ...string[]];

/** '' (the whole series) or one dim the recorders write. */
export const DIM_RE = /^(|[pvuem]:\d{1,12}|r:[A-Za-z0-9._-]{1,64}|[nb]:[a-z0-9][a-z0-9-]{0,62}|kind:[A-Za-z0-9._:-]{1,64}|via:[A-Za-z0-9._-]{1,32}|route:[A-Z]{3,7} \/[A-Za-z0-9/:._-]{0,200})$/;

export const ZSeriesQuery = z.intersection(
  ZMetricsRange,
  z.object({
    series: z.enum(METRIC_SERIES, { error: `series is one of ${METRIC_SERIES.join(', ')}` }),
    dim: z.string().regex(DIM_RE, "dim is '', p:<id>, v:<id>, u:<id>, e:<edge id>, m:<mirror id>, n:<replication node id>, b:<backup repository id>, r:<region>, kind:<job kind>, via:<how> or route:<METHOD /api/v1/path>").default(''),
    step: z.coerce.number().int().positive().optional(),
  }),
);

export const ZReportQuery = z.intersection(ZMetricsRange, z.object({ format: z.enum(['json', 'csv']).default('json') }));
