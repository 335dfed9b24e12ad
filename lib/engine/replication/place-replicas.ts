import type { NodeState } from './types';

/** What placement needs to know about a node. */
export type PlacementNode = {
  id: string;
  region: string;
  priority: number;
  state: NodeState;
  capacity_bytes: number | null;
  used_bytes: number;
};

export type PlacementRequest = {
  /** How many nodes to choose (fewer come back when fewer qualify). */
  factor: number;
  /** The blob's size: a node without room for it is skipped. */
  size: number;
  /** Unhealthy nodes may fill what healthy and degraded ones cannot (asynchronous replicas only). */
  allowUnhealthy?: boolean;
  /** Nodes that already hold (or are to hold) the version: not chosen again, their regions count as taken. */
  holding?: readonly PlacementNode[];
};

const STATE_RANK: Record<NodeState, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

function free(n: PlacementNode): number {
  return n.capacity_bytes === null ? Number.POSITIVE_INFINITY : n.capacity_bytes - n.used_bytes;
}

/**
 * Choose up to `factor` nodes for one blob: healthy before degraded before unhealthy (unhealthy
 * only when allowed), then a region not chosen yet before one already used (spread across regions
 * before doubling up), then lower priority, then more free capacity, then id (stable). Pure.
 */
export function placeReplicas(nodes: readonly PlacementNode[], req: PlacementRequest): PlacementNode[] {
  const held = new Set((req.holding ?? []).map((n) => n.id));
  const regions = new Set((req.holding ?? []).map((n) => n.region));
  const candidates = nodes.filter((n) => !held.has(n.id) && (req.allowUnhealthy || n.state !== 'unhealthy') && free(n) >= req.size);
  const chosen: PlacementNode[] = [];
  while (chosen.length < req.factor && candidates.length > 0) {
    let best = 0;
    for (let i = 1; i < candidates.length; i++) if (compare(candidates[i], candidates[best], regions) < 0) best = i;
    const [node] = candidates.splice(best, 1);
    chosen.push(node);
    regions.add(node.region);
  }
  return chosen;
}

function compare(a: PlacementNode, b: PlacementNode, regions: Set<string>): number {
  return (
    STATE_RANK[a.state] - STATE_RANK[b.state] ||
    Number(regions.has(a.region)) - Number(regions.has(b.region)) ||
    a.priority - b.priority ||
    compareFree(free(b), free(a)) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

function compareFree(x: number, y: number): number {
  return x === y ? 0 : x < y ? -1 : 1;
}
