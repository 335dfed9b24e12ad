'use client';

import { useEffect, useState } from 'react';
import { Button } from './button';

type CopyButtonProps = {
  text: string;
  label: string;
  /** Element whose text is selected when the Clipboard API is unavailable (plain-HTTP origins). */
  fallbackTargetId?: string;
};

type CopyState = 'idle' | 'copied' | 'selected' | 'failed';

const STATUS: Record<Exclude<CopyState, 'idle'>, string> = {
  copied: 'Copied',
  selected: 'Selected — press Ctrl+C (⌘C) to copy',
  failed: 'Copy failed — select the text to copy it',
};

export function CopyButton({ text, label, fallbackTargetId }: CopyButtonProps) {
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), state === 'copied' ? 2000 : 5000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    if (navigator.clipboard) {
      try {
        await navigator.clipboard.writeText(text);
        setState('copied');
        return;
      } catch {
        // Denied permission or lost focus: fall through to selecting the text.
      }
    }
    setState(selectTarget(fallbackTargetId) ? 'selected' : 'failed');
  }

  return (
    <span className="inline-flex items-center gap-2">
      <Button size="sm" onClick={copy}>
        {label}
      </Button>
      <span role="status" className="text-xs text-slate-600">
        {state === 'idle' ? '' : STATUS[state]}
      </span>
    </span>
  );
}

function selectTarget(id: string | undefined): boolean {
  const target = id ? document.getElementById(id) : null;
  const selection = window.getSelection();
  if (!target || !selection) return false;
  selection.selectAllChildren(target);
  return true;
}
