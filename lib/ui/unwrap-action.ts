import type { ActionResult } from '@/lib/server/action';

/** A server action's { ok: false } result as a thrown error, for react-query mutations. */
export class ActionError extends Error {
  readonly code: string;
  readonly fields?: Record<string, string[]>;

  constructor({ code, message, fields }: { code: string; message: string; fields?: Record<string, string[]> }) {
    super(message);
    this.name = 'ActionError';
    this.code = code;
    this.fields = fields;
  }
}

export async function unwrapAction<T>(pending: Promise<ActionResult<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new ActionError(result.error);
  return result.data;
}

/** Messages a failed action attached to one input field (and its items, `tags.0`…), if any. */
export function fieldErrors(error: unknown, field: string): string[] | undefined {
  if (!(error instanceof ActionError) || !error.fields) return undefined;
  const messages = Object.entries(error.fields).flatMap(([key, list]) => (key === field || key.startsWith(`${field}.`) ? list : []));
  return messages.length > 0 ? messages : undefined;
}
