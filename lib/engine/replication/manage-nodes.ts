import { eq } from 'drizzle-orm';
import { replicationNodes } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { assertOutsideDataDir, locationKey } from '../storage/backend-location';
import { enqueueSync } from './enqueue-sync';
import { ADD_PROBE_TIMEOUT_MS } from './node-check-config';
import { nodeRow, nodeRows } from './node-registry';
import { openNodeStorage, splitBackend } from './node-storage';
import { getNodeView } from './node-views';
import { probeNode, redactSecrets, type NodeProbeResult } from './probe-node';
import { NODE_ID_RE, type NodeBackendInput, type NodeBackendPublic, type NodeBackendSecret, type NodeStorage, type NodeView } from './types';

export type AddNodeInput = { id: string; region: string; priority?: number; capacity_bytes?: number | null; backend: NodeBackendInput };
export type NodePatchInput = { region?: string; priority?: number; capacity_bytes?: number | null };
export type NodeProbeFn = (storage: NodeStorage, secret: NodeBackendSecret | null) => Promise<NodeProbeResult>;

const defaultProbe: NodeProbeFn = (storage, secret) => probeNode(storage, ADD_PROBE_TIMEOUT_MS, { secret });

/** Two nodes on one place would count and delete each other's copies. Two folders overlap when one contains the other (a node inside another node's folder); objects under two prefixes do not mix. */
function overlaps(a: string, b: string): boolean {
  if (a.startsWith('local:') && b.startsWith('local:')) return a.startsWith(b) || b.startsWith(a);
  return a === b;
}

function assertIdFree(engine: Engine, id: string): void {
  const clash = engine.db.select({ id: replicationNodes.id }).from(replicationNodes).where(eq(replicationNodes.id, id)).get();
  if (clash) throw new AppError('REPLICATION_NODE_EXISTS', `a replication node "${id}" already exists`, { field: 'id' });
}

function assertPlaceFree(engine: Engine, backend: NodeBackendPublic): void {
  assertOutsideDataDir(engine.dataDir, backend, 'give a folder outside it');
  const key = locationKey(backend);
  for (const row of nodeRows(engine)) {
    if (overlaps(locationKey(JSON.parse(row.backend) as NodeBackendPublic), key)) {
      throw new AppError('REPLICATION_NODE_EXISTS', `node "${row.id}" already stores its data there (or around it): give another folder, bucket, container or prefix`, {
        field: 'backend',
      });
    }
  }
}

/** The node's storage, or why it cannot even be opened (e.g. a malformed connection string), without the secret. */
function openForProbe(engine: Engine, id: string, backend: NodeBackendPublic, secret: NodeBackendSecret | null): NodeStorage {
  try {
    return openNodeStorage({ id, backend, secret }, engine.dataDir);
  } catch (err) {
    const why =
      err instanceof AppError
        ? err.message
        : backend.type === 'azure'
          ? 'the connection string could not be parsed (it needs AccountName and AccountKey, or SharedAccessSignature, with BlobEndpoint or EndpointSuffix)'
          : 'its settings could not be used';
    throw new AppError('REPLICATION_NODE_UNAVAILABLE', redactSecrets(`node "${id}" cannot be opened: ${why}`, secret));
  }
}

/**
 * Probe first (write, read back, delete a probe object): a node that fails is refused with the
 * reason and nothing is stored; one that passes starts healthy. An existing id is refused
 * before probing.
 */
export async function addNode(engine: Engine, input: AddNodeInput, probe: NodeProbeFn = defaultProbe): Promise<NodeView> {
  if (!NODE_ID_RE.test(input.id)) throw new AppError('INVALID_INPUT', 'a node id is 1–63 lowercase letters, digits and "-"', { field: 'id' });
  assertIdFree(engine, input.id);
  const { backend, secret } = splitBackend(input.backend);
  assertPlaceFree(engine, backend);
  const result = await probe(openForProbe(engine, input.id, backend, secret), secret);
  if (!result.ok) {
    throw new AppError('REPLICATION_NODE_UNAVAILABLE', redactSecrets(`node "${input.id}" failed its probe: ${result.error}`, secret));
  }
  // The probe took time: another add may have taken the id or the place meanwhile.
  assertIdFree(engine, input.id);
  assertPlaceFree(engine, backend);
  const now = engine.now();
  engine.db
    .insert(replicationNodes)
    .values({
      id: input.id,
      region: input.region,
      priority: input.priority ?? 100,
      capacityBytes: input.capacity_bytes ?? null,
      backendType: backend.type,
      backend: JSON.stringify(backend),
      secret: secret ? JSON.stringify(secret) : null,
      state: 'healthy',
      lastCheckAt: now,
      lastLatencyMs: result.latencyMs,
      stateChangedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .run();
  enqueueSync(engine);
  return getNodeView(engine, input.id);
}

/** Region, priority and capacity change in place (placement reads them on its next pass); the backend is fixed. */
export function updateNode(engine: Engine, id: string, patch: NodePatchInput): NodeView {
  const row = nodeRow(engine, id);
  engine.db
    .update(replicationNodes)
    .set({
      region: patch.region ?? row.region,
      priority: patch.priority ?? row.priority,
      capacityBytes: patch.capacity_bytes === undefined ? row.capacityBytes : patch.capacity_bytes,
      // storageFor() reopens on a new updatedAt: harmless, the backend is the same.
      updatedAt: Math.max(engine.now(), row.updatedAt + 1),
    })
    .where(eq(replicationNodes.id, id))
    .run();
  enqueueSync(engine);
  return getNodeView(engine, id);
}

/**
 * The node and its replicas rows go (cascade); the bytes on the node are left in place (the
 * admin removes the folder, bucket prefix or container). A sync re-places what it held.
 */
export function removeNode(engine: Engine, id: string): void {
  nodeRow(engine, id);
  engine.db.delete(replicationNodes).where(eq(replicationNodes.id, id)).run();
  enqueueSync(engine);
}
