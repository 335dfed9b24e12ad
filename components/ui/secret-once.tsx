'use client';

import { useId, type ReactNode } from 'react';
import { CopyButton } from './copy-button';

/** A secret shown once (an API token, a webhook signing secret): a warning, the value and a copy button. */
export function SecretOnce({ title, hint, value, label, copyLabel }: { title: string; hint: ReactNode; value: string; label: string; copyLabel: string }) {
  const id = useId();
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 p-3">
      <p className="text-sm font-medium text-amber-900">{title}</p>
      <p className="mt-0.5 text-xs text-amber-800">{hint}</p>
      <code id={id} aria-label={label} className="mt-2 block rounded border border-amber-200 bg-white px-2 py-1.5 font-mono text-sm break-all text-slate-900">
        {value}
      </code>
      <div className="mt-2">
        <CopyButton text={value} label={copyLabel} fallbackTargetId={id} />
      </div>
    </div>
  );
}
