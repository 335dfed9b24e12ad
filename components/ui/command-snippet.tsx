'use client';

import { useId } from 'react';
import { CopyButton } from './copy-button';

/** A shell command in a code block with a copy button. */
export function CommandSnippet({ command, label }: { command: string; label: string }) {
  const id = useId();
  return (
    <div className="space-y-2">
      <pre className="overflow-x-auto rounded-md bg-slate-900 px-3 py-2.5 text-xs leading-relaxed text-slate-100">
        <code id={id}>{command}</code>
      </pre>
      <CopyButton text={command} label={label} fallbackTargetId={id} />
    </div>
  );
}
