import { formatCount } from '@/lib/ui/format-count';
import { Button } from './button';

type PaginationProps = {
  page: number;
  perPage: number;
  total: number;
  /** Rows shown on this page. */
  shown: number;
  onPageChange: (page: number) => void;
};

export function Pagination({ page, perPage, total, shown, onPageChange }: PaginationProps) {
  const first = (page - 1) * perPage + 1;
  const last = first + shown - 1;
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      <p>
        Showing <span className="font-medium text-slate-900 tabular-nums">{formatCount(first)}</span>–
        <span className="font-medium text-slate-900 tabular-nums">{formatCount(last)}</span> of{' '}
        <span className="font-medium text-slate-900 tabular-nums">{formatCount(total)}</span>
      </p>
      <div className="flex gap-2">
        <Button size="sm" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
          Previous
        </Button>
        <Button size="sm" disabled={page * perPage >= total} onClick={() => onPageChange(page + 1)}>
          Next
        </Button>
      </div>
    </nav>
  );
}
