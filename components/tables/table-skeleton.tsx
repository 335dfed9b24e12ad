import { Skeleton } from '@/components/ui/skeleton';
import { TABLE_WRAPPER } from './table-styles';

/** Placeholder rows while a table's first page loads. */
export function TableSkeleton({ label, columns, rows = 5 }: { label: string; columns: number; rows?: number }) {
  return (
    <div className={`${TABLE_WRAPPER} p-4`} aria-busy="true">
      <span className="sr-only">{label}</span>
      <div aria-hidden="true" className="space-y-3">
        {Array.from({ length: rows }, (_, row) => (
          <div key={row} className="grid gap-4" style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>
            {Array.from({ length: columns }, (_, column) => (
              <Skeleton key={column} className="h-4" />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
