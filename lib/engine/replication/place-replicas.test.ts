import { describe, expect, it } from 'vitest';
import { placeReplicas, type PlacementNode, type PlacementRequest } from './place-replicas';

const node = (id: string, over: Partial<PlacementNode> = {}): PlacementNode => ({
  id,
  region: 'eu',
  priority: 100,
  state: 'healthy',
  capacity_bytes: null,
  used_bytes: 0,
  ...over,
});

type Case = { name: string; nodes: PlacementNode[]; req: PlacementRequest; want: string[] };

const cases: Case[] = [
  { name: 'factor 0 chooses nothing', nodes: [node('a')], req: { factor: 0, size: 1 }, want: [] },
  {
    name: 'healthy before degraded before unhealthy (when allowed)',
    nodes: [node('u', { state: 'unhealthy', priority: 1 }), node('d', { state: 'degraded', priority: 1 }), node('h', { priority: 9 })],
    req: { factor: 3, size: 1, allowUnhealthy: true },
    want: ['h', 'd', 'u'],
  },
  {
    name: 'unhealthy never chosen unless allowed',
    nodes: [node('u', { state: 'unhealthy' }), node('h')],
    req: { factor: 2, size: 1 },
    want: ['h'],
  },
  {
    name: 'distinct regions before doubling up, even over priority',
    nodes: [node('eu1', { priority: 1 }), node('eu2', { priority: 2 }), node('us1', { region: 'us', priority: 50 })],
    req: { factor: 2, size: 1 },
    want: ['eu1', 'us1'],
  },
  {
    name: 'doubles up once every region is used',
    nodes: [node('eu1', { priority: 1 }), node('eu2', { priority: 2 }), node('us1', { region: 'us', priority: 50 })],
    req: { factor: 3, size: 1 },
    want: ['eu1', 'us1', 'eu2'],
  },
  {
    name: 'health outranks region spread',
    nodes: [node('eu1'), node('eu2'), node('us1', { region: 'us', state: 'degraded' })],
    req: { factor: 2, size: 1 },
    want: ['eu1', 'eu2'],
  },
  {
    name: 'priority, then free capacity (null = unbounded), then id',
    nodes: [
      node('small', { capacity_bytes: 100, used_bytes: 50 }),
      node('big', { capacity_bytes: 1_000, used_bytes: 0 }),
      node('unbounded'),
      node('b-tie'),
      node('first', { priority: 10 }),
    ],
    req: { factor: 5, size: 1 },
    want: ['first', 'b-tie', 'unbounded', 'big', 'small'],
  },
  {
    name: 'a node without room for the blob is skipped',
    nodes: [node('full', { capacity_bytes: 100, used_bytes: 95, priority: 1 }), node('roomy', { capacity_bytes: 100, used_bytes: 0 })],
    req: { factor: 2, size: 10 },
    want: ['roomy'],
  },
  {
    name: 'nodes already holding are skipped and their regions count as used',
    nodes: [node('eu1'), node('eu2', { priority: 1 }), node('us1', { region: 'us', priority: 200 })],
    req: { factor: 1, size: 1, holding: [node('eu2', { priority: 1 })] },
    want: ['us1'],
  },
];

describe('placeReplicas', () => {
  it.each(cases)('$name', ({ nodes, req, want }) => {
    expect(placeReplicas(nodes, req).map((n) => n.id)).toEqual(want);
  });
});
