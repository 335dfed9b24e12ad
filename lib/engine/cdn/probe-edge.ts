import { AppError } from '../errors';
import { EdgeRequestError, fetchEdgeHealth, fetchEdgeStats, postEdgePurge, type EdgeStats } from './edge-client';

/**
 * What the token check purges: one version of a package name no publisher would choose. A purge
 * of a name that is not cached removes nothing, and even a cached one would only be fetched again.
 */
export const TOKEN_CHECK_TARGET = { name: 'torsh-purge-token-check.invalid', version: '0.0.0-token-check' };

function unreachable(url: string, err: EdgeRequestError): AppError {
  return new AppError('EDGE_UNREACHABLE', `could not reach the edge at ${url} (${err.message}); check the URL and that \`torsh serve --role edge\` runs there`, { field: 'url' });
}

/**
 * Check a URL before it is registered (or changed): it answers /api/v1/health as a ToRSh edge,
 * accepts this purge token and serves cache statistics. Returns the statistics, the baseline of
 * the first collection.
 */
export async function probeEdge(url: string, purgeToken: string): Promise<EdgeStats> {
  let health: Record<string, unknown>;
  try {
    health = await fetchEdgeHealth(url);
  } catch (err) {
    if (!(err instanceof EdgeRequestError)) throw err;
    if (err.status === null) throw unreachable(url, err);
    throw new AppError('EDGE_NOT_AN_EDGE', `${url} is not a ToRSh edge: ${err.message}`, { field: 'url' });
  }
  if (health.role !== 'edge') {
    const role = typeof health.role === 'string' ? `a ToRSh ${health.role} (role "${health.role}")` : 'something that does not say its role';
    throw new AppError('EDGE_NOT_AN_EDGE', `${url} is ${role}, not an edge; register edges started with \`torsh serve --role edge\``, { field: 'url' });
  }
  try {
    await postEdgePurge(url, purgeToken, TOKEN_CHECK_TARGET);
  } catch (err) {
    if (!(err instanceof EdgeRequestError)) throw err;
    if (err.status === null) throw unreachable(url, err);
    if (err.status === 401) throw new AppError('EDGE_PURGE_TOKEN_REJECTED', `the edge at ${url} refused this purge token: give the value of its --purge-token (TORSH_PURGE_TOKEN)`, { field: 'purge_token' });
    if (err.status === 403) throw new AppError('EDGE_PURGE_TOKEN_REJECTED', `the edge at ${url} has no purge token configured: restart it with --purge-token (or TORSH_PURGE_TOKEN)`, { field: 'purge_token' });
    throw new AppError('EDGE_NOT_AN_EDGE', `the edge at ${url} did not accept a purge: ${err.message}`, { field: 'url' });
  }
  try {
    return await fetchEdgeStats(url);
  } catch (err) {
    if (!(err instanceof EdgeRequestError)) throw err;
    if (err.status === null) throw unreachable(url, err);
    throw new AppError('EDGE_NOT_AN_EDGE', `the edge at ${url} serves no cache statistics: ${err.message}`, { field: 'url' });
  }
}
