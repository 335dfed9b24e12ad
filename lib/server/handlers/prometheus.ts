import { z } from 'zod';
import { promRegistry } from '@/lib/engine/observability/error-counter';
import { createApiMatcher } from '../api-router';
import type { WebHandler } from '../api-routes';
import { route } from '../route';

async function scrape(): Promise<Response> {
  const body = await promRegistry.metrics();
  return new Response(body, { headers: { 'content-type': promRegistry.contentType, 'cache-control': 'no-store' } });
}

const viewStatsScrape = route({ permission: 'ViewStats', params: z.object({}), run: scrape });
const publicScrape = route({ permission: 'public', params: z.object({}), run: scrape });

/** Read per request, so an operator (or a test) can open the endpoint without rebuilding the table. */
export function metricsArePublic(): boolean {
  return process.env.TORSH_METRICS_PUBLIC === '1';
}

/** GET /metrics: Prometheus text exposition; ViewStats unless TORSH_METRICS_PUBLIC=1. */
export const prometheusHandler: WebHandler = Object.assign(
  (req: Request, segment: { params: Promise<Record<string, string>> }) => (metricsArePublic() ? publicScrape : viewStatsScrape)(req, segment),
  { meta: viewStatsScrape.meta },
);

/** `/metrics` sits outside /api/v1 (where Prometheus looks) but goes through the same router and guard. */
export const matchMetricsRoute = createApiMatcher([{ method: 'GET', path: '/metrics', handler: prometheusHandler }]);
