import type { EdgeOptions, RunningRole } from './role-types';

// Placeholder until the role lands (issue 9 in progress).
export async function startEdgeServer(_opts: EdgeOptions): Promise<RunningRole> {
  throw new Error('this role is not built yet');
}
