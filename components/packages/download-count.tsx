import { formatCount } from '@/lib/ui/format-count';

const HIDDEN = 'Download statistics of restricted and private packages need the ViewStats permission';

/** A download figure, or "—" where the caller may not see it (ViewStats). */
export function DownloadCount({ value }: { value: number | null }) {
  if (value !== null) return <>{formatCount(value)}</>;
  return (
    <span title={HIDDEN} className="cursor-help text-slate-500">
      <span aria-hidden="true">—</span>
      <span className="sr-only">{HIDDEN}</span>
    </span>
  );
}
