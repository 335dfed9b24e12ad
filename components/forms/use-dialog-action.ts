'use client';

import { useMutation } from '@tanstack/react-query';
import type { ActionResult } from '@/lib/server/action';
import { ActionError, unwrapAction } from '@/lib/ui/unwrap-action';

/**
 * A dialog's server action as a mutation: on success `onDone` runs (and is awaited), then the
 * dialog closes; closing clears the mutation's error. `errorCode` is the failed action's code.
 */
export function useDialogAction<I, T>(run: (input: I) => Promise<ActionResult<T>>, opts: { onDone: (data: T) => unknown; onClose: () => void }) {
  const mutation = useMutation({
    mutationFn: (input: I) => unwrapAction(run(input)),
    onSuccess: async (data) => {
      await opts.onDone(data);
      close();
    },
  });
  const close = () => {
    mutation.reset();
    opts.onClose();
  };
  const errorCode = mutation.error instanceof ActionError ? mutation.error.code : null;
  return { mutation, close, errorCode };
}
