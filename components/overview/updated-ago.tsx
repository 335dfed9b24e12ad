'use client';

import { useEffect, useState } from 'react';

/** "Updated 4 s ago" for the last successful poll, ticking every second. */
export function UpdatedAgo({ at, fetching }: { at: number; fetching: boolean }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  if (!at) return null;
  const s = Math.max(0, Math.round((now - at) / 1000));
  return (
    <p className="text-xs text-slate-600 tabular-nums" aria-live="off" data-testid="updated-ago">
      {fetching ? 'Refreshing…' : `Updated ${s < 60 ? `${s} s` : `${Math.floor(s / 60)} min`} ago`} · refreshes every 10 s
    </p>
  );
}
