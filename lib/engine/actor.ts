/** Who performs an engine operation. Accounts and tokens (a later issue) add user/token actors. */
export type Actor = {
  kind: 'anonymous' | 'user' | 'token' | 'system';
  /** Display name recorded as publisher and in the audit log. */
  name: string;
};

export const ANONYMOUS: Actor = { kind: 'anonymous', name: 'anonymous' };
export const SYSTEM: Actor = { kind: 'system', name: 'system' };
