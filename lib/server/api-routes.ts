import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GuardMeta } from './guard';
import { issueTokenHandler, listRolesHandler, listTokensHandler, listUsersHandler, meHandler, createUserHandler } from './handlers/accounts';
import {
  ackAlertHandler,
  createRuleHandler,
  createWebhookHandler,
  deleteRuleHandler,
  deleteWebhookHandler,
  evaluateAlertsHandler,
  listAlertsHandler,
  listDeliveriesHandler,
  listRulesHandler,
  listWebhooksHandler,
  previewAlertHandler,
  silenceRuleHandler,
  testWebhookHandler,
  updateRuleHandler,
} from './handlers/alerts';
import { auditHandler } from './handlers/audit';
import { changesHandler } from './handlers/changes';
import { channelHistoryHandler, listChannelsHandler, removeChannelHandler, setChannelHandler } from './handlers/channels';
import { deletePackageHandler, deleteVersionHandler } from './handlers/delete';
import { cdnTrafficHandler, listEdgesHandler, purgeEdgeHandler, registerEdgeHandler, removeEdgeHandler, updateEdgeHandler } from './handlers/edges';
import { downloadHandler } from './handlers/download';
import { healthHandler } from './handlers/health';
import { listConflictsHandler, resolveConflictHandler, scrubStatusHandler, startScrubHandler } from './handlers/replication-scrub';
import {
  addBackupRepositoryHandler,
  getBackupJobHandler,
  listBackupJobsHandler,
  listBackupRepositoriesHandler,
  listBackupSnapshotsHandler,
  previewRetentionHandler,
  removeBackupRepositoryHandler,
  startBackupHandler,
  startForgetHandler,
  startPruneHandler,
  startRestoreHandler,
  startVerifyHandler,
  updateBackupRepositoryHandler,
} from './handlers/backups';
import { cancelJobHandler, jobSummaryHandler, listJobsHandler, retryJobHandler } from './handlers/jobs';
import { keyChallengeHandler, listKeysHandler, registerKeyHandler, revokeKeyHandler, trustedKeysHandler } from './handlers/keys';
import { getAccessHandler, setGrantHandler, updateAccessHandler } from './handlers/package-access';
import { getVersionHandler, publishVersionHandler } from './handlers/package-version';
import { updatePackageHandler } from './handlers/package-edits';
import { getPackageHandler } from './handlers/packages';
import { metricsOverviewHandler, metricsReportHandler, metricsSeriesHandler, packageDownloadsHandler } from './handlers/metrics';
import {
  addMirrorHandler,
  listMirrorsHandler,
  locationsHandler,
  mirrorChecksHandler,
  mirrorSettingsHandler,
  removeMirrorHandler,
  setMirrorSettingsHandler,
  updateMirrorHandler,
} from './handlers/mirrors';
import { getPolicyHandler, setPolicyHandler } from './handlers/policies';
import {
  addNodeHandler,
  listNodesHandler,
  packageReplicationHandler,
  removeNodeHandler,
  replicationConfigHandler,
  replicationStatsHandler,
  setPackageReplicationHandler,
  setReplicationConfigHandler,
  updateNodeHandler,
} from './handlers/replication';
import { searchHandler, statsHandler } from './handlers/search';
import { unyankHandler, yankHandler } from './handlers/yank';
import { packageReplicasHandler, versionReplicasHandler } from './handlers/version-replicas';
import { handleUploadNode, uploadRoute } from './uploads/upload-handler';

export type WebHandler = ((req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>) & { meta: GuardMeta };
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => Promise<void>;

export type ApiRoute = {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  /** `/api/v1/packages/:name/:version`: `:x` matches one non-empty path segment. */
  path: string;
  /** The handler (web Request → Response), built with route(). */
  handler: WebHandler;
  /** Servers that speak node:http themselves (tus) get node req/res instead, after the same guard. */
  node?: NodeHandler;
};

/** tus keeps its own path shape (`params.path`); the table names the segment `id`. */
function tus(method: 'POST' | 'PATCH' | 'HEAD' | 'DELETE' | 'OPTIONS'): Pick<ApiRoute, 'handler' | 'node'> {
  const web = uploadRoute(method);
  const handler = Object.assign(
    (req: Request, seg: { params: Promise<Record<string, string>> }) => web(req, { params: seg.params.then((p) => (p.id ? { path: [p.id] } : {})) }),
    { meta: web.meta },
  );
  return { handler, node: (req, res, params) => handleUploadNode(req, res, params.id ?? null) };
}

const PKG = '/api/v1/packages/:name';
const VER = `${PKG}/:version`;

/**
 * The one route table of /api/v1. The origin's own HTTP server dispatches every API request
 * through it (lib/server/api-router.ts); Next never sees /api/v1. Mirror and edge servers serve
 * the read rows of the same table.
 */
export const API_ROUTES: ApiRoute[] = [
  { method: 'GET', path: '/api/v1/health', handler: healthHandler },
  { method: 'GET', path: '/api/v1/me', handler: meHandler },
  { method: 'GET', path: '/api/v1/search', handler: searchHandler },
  { method: 'GET', path: '/api/v1/stats', handler: statsHandler },
  { method: 'POST', path: '/api/v1/auth/tokens', handler: issueTokenHandler },
  { method: 'GET', path: '/api/v1/tokens', handler: listTokensHandler },
  { method: 'GET', path: '/api/v1/users', handler: listUsersHandler },
  { method: 'POST', path: '/api/v1/users', handler: createUserHandler },
  { method: 'GET', path: '/api/v1/roles', handler: listRolesHandler },
  { method: 'GET', path: '/api/v1/audit', handler: auditHandler },
  { method: 'GET', path: '/api/v1/jobs', handler: listJobsHandler },
  { method: 'GET', path: '/api/v1/jobs/summary', handler: jobSummaryHandler },
  { method: 'POST', path: '/api/v1/jobs/:id/retry', handler: retryJobHandler },
  { method: 'POST', path: '/api/v1/jobs/:id/cancel', handler: cancelJobHandler },
  { method: 'GET', path: '/api/v1/policies', handler: getPolicyHandler },
  { method: 'PUT', path: '/api/v1/policies', handler: setPolicyHandler },
  { method: 'GET', path: '/api/v1/keys', handler: listKeysHandler },
  { method: 'POST', path: '/api/v1/keys', handler: registerKeyHandler },
  { method: 'POST', path: '/api/v1/keys/challenge', handler: keyChallengeHandler },
  { method: 'GET', path: '/api/v1/keys/trusted', handler: trustedKeysHandler },
  { method: 'DELETE', path: '/api/v1/keys/:keyId', handler: revokeKeyHandler },
  { method: 'GET', path: '/api/v1/metrics/overview', handler: metricsOverviewHandler },
  { method: 'GET', path: '/api/v1/metrics/series', handler: metricsSeriesHandler },
  { method: 'GET', path: '/api/v1/metrics/report', handler: metricsReportHandler },
  { method: 'GET', path: PKG, handler: getPackageHandler },
  { method: 'GET', path: `${PKG}/access`, handler: getAccessHandler },
  { method: 'PATCH', path: `${PKG}/access`, handler: updateAccessHandler },
  { method: 'PUT', path: `${PKG}/grants/:username`, handler: setGrantHandler },
  { method: 'PATCH', path: PKG, handler: updatePackageHandler },
  { method: 'DELETE', path: PKG, handler: deletePackageHandler },
  // Before the version rows: `channels` is a route word, never a version.
  { method: 'GET', path: `${PKG}/channels`, handler: listChannelsHandler },
  { method: 'PUT', path: `${PKG}/channels/:channel`, handler: setChannelHandler },
  { method: 'DELETE', path: `${PKG}/channels/:channel`, handler: removeChannelHandler },
  { method: 'GET', path: `${PKG}/channels/:channel/history`, handler: channelHistoryHandler },
  // `downloads` is a route word too (reserved as a channel name).
  { method: 'GET', path: `${PKG}/downloads`, handler: packageDownloadsHandler },
  // `replication` too (reserved as a channel name).
  { method: 'GET', path: `${PKG}/replication`, handler: packageReplicationHandler },
  { method: 'PUT', path: `${PKG}/replication`, handler: setPackageReplicationHandler },
  { method: 'GET', path: `${PKG}/replicas`, handler: packageReplicasHandler },
  { method: 'GET', path: VER, handler: getVersionHandler },
  { method: 'PUT', path: VER, handler: publishVersionHandler },
  { method: 'DELETE', path: VER, handler: deleteVersionHandler },
  { method: 'GET', path: `${VER}/download`, handler: downloadHandler },
  { method: 'HEAD', path: `${VER}/download`, handler: downloadHandler },
  { method: 'POST', path: `${VER}/yank`, handler: yankHandler },
  { method: 'DELETE', path: `${VER}/yank`, handler: unyankHandler },
  { method: 'POST', path: '/api/v1/uploads', ...tus('POST') },
  { method: 'OPTIONS', path: '/api/v1/uploads', ...tus('OPTIONS') },
  { method: 'PATCH', path: '/api/v1/uploads/:id', ...tus('PATCH') },
  { method: 'HEAD', path: '/api/v1/uploads/:id', ...tus('HEAD') },
  { method: 'DELETE', path: '/api/v1/uploads/:id', ...tus('DELETE') },
  { method: 'OPTIONS', path: '/api/v1/uploads/:id', ...tus('OPTIONS') },
  { method: 'GET', path: '/api/v1/alerts', handler: listAlertsHandler },
  { method: 'POST', path: '/api/v1/alerts/evaluate', handler: evaluateAlertsHandler },
  { method: 'GET', path: '/api/v1/alerts/preview', handler: previewAlertHandler },
  { method: 'GET', path: '/api/v1/alerts/rules', handler: listRulesHandler },
  { method: 'POST', path: '/api/v1/alerts/rules', handler: createRuleHandler },
  { method: 'PATCH', path: '/api/v1/alerts/rules/:id', handler: updateRuleHandler },
  { method: 'DELETE', path: '/api/v1/alerts/rules/:id', handler: deleteRuleHandler },
  { method: 'POST', path: '/api/v1/alerts/rules/:id/ack', handler: ackAlertHandler },
  { method: 'POST', path: '/api/v1/alerts/rules/:id/silence', handler: silenceRuleHandler },
  { method: 'GET', path: '/api/v1/alerts/webhooks', handler: listWebhooksHandler },
  { method: 'POST', path: '/api/v1/alerts/webhooks', handler: createWebhookHandler },
  { method: 'DELETE', path: '/api/v1/alerts/webhooks/:id', handler: deleteWebhookHandler },
  { method: 'POST', path: '/api/v1/alerts/webhooks/:id/test', handler: testWebhookHandler },
  { method: 'GET', path: '/api/v1/alerts/webhooks/:id/deliveries', handler: listDeliveriesHandler },
  { method: 'GET', path: '/api/v1/edges', handler: listEdgesHandler },
  { method: 'POST', path: '/api/v1/edges', handler: registerEdgeHandler },
  { method: 'PATCH', path: '/api/v1/edges/:id', handler: updateEdgeHandler },
  { method: 'DELETE', path: '/api/v1/edges/:id', handler: removeEdgeHandler },
  { method: 'POST', path: '/api/v1/edges/:id/purge', handler: purgeEdgeHandler },
  { method: 'GET', path: '/api/v1/cdn/traffic', handler: cdnTrafficHandler },
  { method: 'GET', path: `${VER}/locations`, handler: locationsHandler },
  { method: 'GET', path: '/api/v1/mirrors', handler: listMirrorsHandler },
  { method: 'POST', path: '/api/v1/mirrors', handler: addMirrorHandler },
  // Before the `:id` rows: `settings` is a route word, never an id.
  { method: 'GET', path: '/api/v1/mirrors/settings', handler: mirrorSettingsHandler },
  { method: 'PUT', path: '/api/v1/mirrors/settings', handler: setMirrorSettingsHandler },
  { method: 'PATCH', path: '/api/v1/mirrors/:id', handler: updateMirrorHandler },
  { method: 'DELETE', path: '/api/v1/mirrors/:id', handler: removeMirrorHandler },
  { method: 'GET', path: '/api/v1/mirrors/:id/checks', handler: mirrorChecksHandler },
  { method: 'GET', path: '/api/v1/changes', handler: changesHandler },
  { method: 'GET', path: '/api/v1/replication/nodes', handler: listNodesHandler },
  { method: 'POST', path: '/api/v1/replication/nodes', handler: addNodeHandler },
  { method: 'PATCH', path: '/api/v1/replication/nodes/:id', handler: updateNodeHandler },
  { method: 'DELETE', path: '/api/v1/replication/nodes/:id', handler: removeNodeHandler },
  { method: 'GET', path: '/api/v1/replication/config', handler: replicationConfigHandler },
  { method: 'PUT', path: '/api/v1/replication/config', handler: setReplicationConfigHandler },
  { method: 'GET', path: '/api/v1/replication/stats', handler: replicationStatsHandler },
  { method: 'GET', path: `${VER}/replicas`, handler: versionReplicasHandler },
  { method: 'GET', path: '/api/v1/replication/scrub', handler: scrubStatusHandler },
  { method: 'POST', path: '/api/v1/replication/scrub', handler: startScrubHandler },
  { method: 'GET', path: '/api/v1/replication/conflicts', handler: listConflictsHandler },
  { method: 'POST', path: '/api/v1/replication/conflicts/:id/resolve', handler: resolveConflictHandler },
  { method: 'GET', path: '/api/v1/backups/repositories', handler: listBackupRepositoriesHandler },
  { method: 'POST', path: '/api/v1/backups/repositories', handler: addBackupRepositoryHandler },
  { method: 'PATCH', path: '/api/v1/backups/repositories/:id', handler: updateBackupRepositoryHandler },
  { method: 'DELETE', path: '/api/v1/backups/repositories/:id', handler: removeBackupRepositoryHandler },
  { method: 'GET', path: '/api/v1/backups/repositories/:id/snapshots', handler: listBackupSnapshotsHandler },
  { method: 'POST', path: '/api/v1/backups/repositories/:id/snapshots', handler: startBackupHandler },
  { method: 'POST', path: '/api/v1/backups/repositories/:id/verify', handler: startVerifyHandler },
  { method: 'POST', path: '/api/v1/backups/repositories/:id/restore', handler: startRestoreHandler },
  { method: 'POST', path: '/api/v1/backups/repositories/:id/retention/preview', handler: previewRetentionHandler },
  { method: 'POST', path: '/api/v1/backups/repositories/:id/forget', handler: startForgetHandler },
  { method: 'POST', path: '/api/v1/backups/repositories/:id/prune', handler: startPruneHandler },
  { method: 'GET', path: '/api/v1/backups/jobs', handler: listBackupJobsHandler },
  { method: 'GET', path: '/api/v1/backups/jobs/:id', handler: getBackupJobHandler },
];

/** How a route is named in tests and logs: `PUT /api/v1/packages/:name/:version`. */
export const routeId = (r: Pick<ApiRoute, 'method' | 'path'>) => `${r.method} ${r.path}`;
