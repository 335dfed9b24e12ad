import { z } from 'zod';
import { analyticsReport, analyticsReportCsv } from '@/lib/engine/metrics/analytics-report';
import { metricSeries } from '@/lib/engine/metrics/metric-series';
import { resolveRange } from '@/lib/engine/metrics/metrics-range';
import { overview } from '@/lib/engine/metrics/overview';
import { packageDownloads } from '@/lib/engine/metrics/package-downloads';
import { ZPackageParams } from '@/lib/validations/package';
import { ZMetricsRange, ZReportQuery, ZSeriesQuery } from '@/lib/validations/metrics';
import { route } from '../route';

/** GET /api/v1/metrics/overview?from=&to= */
export const metricsOverviewHandler = route({
  permission: 'ViewStats',
  params: z.object({}),
  query: ZMetricsRange,
  run: ({ query, ctx }) => Response.json(overview(ctx.engine, ctx.actor, resolveRange(ctx.engine.now(), query))),
});

/** GET /api/v1/metrics/series?series=&dim=&from=&to=&step= */
export const metricsSeriesHandler = route({
  permission: 'ViewStats',
  params: z.object({}),
  query: ZSeriesQuery,
  run: ({ query, ctx }) => {
    const range = resolveRange(ctx.engine.now(), query);
    return Response.json(metricSeries(ctx.engine, ctx.actor, { series: query.series, dim: query.dim, step: query.step, ...range }));
  },
});

/** GET /api/v1/metrics/report?from=&to=[&format=csv] */
export const metricsReportHandler = route({
  permission: 'ViewStats',
  params: z.object({}),
  query: ZReportQuery,
  run: ({ query, ctx }) => {
    const range = resolveRange(ctx.engine.now(), query);
    const report = analyticsReport(ctx.engine, ctx.actor, range);
    if (query.format !== 'csv') return Response.json(report);
    const name = `torsh-report-${new Date(range.from).toISOString().slice(0, 10)}-${new Date(range.to).toISOString().slice(0, 10)}.csv`;
    return new Response(analyticsReportCsv(report), {
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"` },
    });
  },
});

/** GET /api/v1/packages/{name}/downloads?from=&to= (the package's statistics rule: public, or ViewStats on it) */
export const packageDownloadsHandler = route({
  permission: 'ReadMetadata',
  params: ZPackageParams,
  query: ZMetricsRange,
  package: (p) => p.name,
  run: ({ params, query, ctx }) => Response.json(packageDownloads(ctx.engine, ctx.actor, params.name, resolveRange(ctx.engine.now(), query))),
});
