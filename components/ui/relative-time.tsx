import { formatDateTime, formatRelativeTime } from '@/lib/ui/format-time';

/** "3 hours ago", with the full date in the title attribute. */
export function RelativeTime({ ms }: { ms: number }) {
  return (
    <time dateTime={new Date(ms).toISOString()} title={formatDateTime(ms)}>
      {formatRelativeTime(ms)}
    </time>
  );
}
