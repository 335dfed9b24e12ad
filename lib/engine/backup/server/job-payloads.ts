import type { RetentionPolicy } from '../types';

export type CreateBackupPayload = {
  repo: string;
  tags: string[];
  description: string | null;
  recovery_point: { name: string; description: string | null } | null;
  package: { name: string; version: string } | null;
};
export type VerifyPayload = { repo: string; read_data: boolean };
export type RestoreTarget = { type: 'package'; name?: string; version?: string } | { type: 'directory'; path: string };
export type RestorePayload = { repo: string; snapshot: string; target: RestoreTarget; actor: { userId: number | null; name: string } };
/** policy null and no snapshots: the repository's own retention policy. */
export type ForgetPayload = { repo: string; policy: RetentionPolicy | null; snapshots: string[] | null; prune: boolean };
export type PrunePayload = { repo: string };
