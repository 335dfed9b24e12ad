import type { MirrorOptions, RunningRole } from './role-types';

// Placeholder until the role lands (issue 9 in progress).
export async function startMirrorServer(_opts: MirrorOptions): Promise<RunningRole> {
  throw new Error('this role is not built yet');
}
