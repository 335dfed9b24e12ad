'use client';

import { useId } from 'react';
import { CopyButton } from '@/components/ui/copy-button';

/** "1a2b3c4d…" → "1a2b 3c4d …": groups of 4 hex characters, easier to compare by eye. */
export function formatFingerprint(hex: string): string {
  return hex.match(/.{1,4}/g)?.join(' ') ?? hex;
}

/** A key's full SHA-256 fingerprint in groups of 4, with a button that copies the plain hex. */
export function Fingerprint({ hex }: { hex: string }) {
  const id = useId();
  return (
    <div className="flex flex-col items-start gap-1.5">
      <code id={id} title={hex} className="block w-[40ch] max-w-full font-mono text-xs leading-relaxed break-words text-slate-700">
        {formatFingerprint(hex)}
      </code>
      <CopyButton text={hex} label="Copy fingerprint" fallbackTargetId={id} />
    </div>
  );
}
