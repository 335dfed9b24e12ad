'use client';

import { useState, type ReactNode } from 'react';
import { Icon } from '@/components/ui/icon';

type FileDropZoneProps = {
  /** Accessible name of the file input. */
  label: string;
  accept: string;
  disabled?: boolean;
  onFile: (file: File) => void;
  children: ReactNode;
};

/** Drag-and-drop target wrapping a file picker; the input stays keyboard- and screen-reader-usable. */
export function FileDropZone({ label, accept, disabled = false, onFile, children }: FileDropZoneProps) {
  const [dragging, setDragging] = useState(false);

  return (
    <label
      onDragOver={(event) => {
        event.preventDefault();
        if (!disabled) setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        const file = event.dataTransfer.files[0];
        if (file && !disabled) onFile(file);
      }}
      className={`flex flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed px-6 py-10 text-center transition-colors has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-500 ${
        disabled
          ? 'cursor-not-allowed border-slate-200 bg-slate-50 opacity-60'
          : dragging
            ? 'cursor-copy border-indigo-500 bg-indigo-50'
            : 'cursor-pointer border-slate-300 bg-white hover:border-indigo-400 hover:bg-slate-50'
      }`}
    >
      <Icon name="upload" className="size-8 text-indigo-600" />
      {children}
      <input
        type="file"
        aria-label={label}
        accept={accept}
        disabled={disabled}
        className="sr-only"
        onChange={(event) => {
          const file = event.target.files?.[0];
          // Clear the value so choosing the same file again still fires a change.
          event.target.value = '';
          if (file) onFile(file);
        }}
      />
    </label>
  );
}
