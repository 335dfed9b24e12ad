import type { ReactNode } from 'react';
import { TABLE, TABLE_WRAPPER, TH, THEAD } from './table-styles';

/** A column heading: its label, or a label that is right-aligned or read by screen readers only. */
export type Column = string | { label: string; align?: 'right'; srOnly?: boolean } | false;

type DataTableProps = {
  columns: Column[];
  /** The body rows (`<tr>`s). */
  children: ReactNode;
  /** Inside a bordered card (the default), or bare inside one the caller draws. */
  bare?: boolean;
};

/** The one table of the dashboard: heading row from `columns`, rows from the caller. */
export function DataTable({ columns, children, bare = false }: DataTableProps) {
  const table = (
    <table className={TABLE}>
      <thead className={THEAD}>
        <tr>
          {columns.map((column) => {
            if (column === false) return null;
            const c = typeof column === 'string' ? { label: column } : column;
            return (
              <th key={c.label} scope="col" className={c.align === 'right' ? `${TH} text-right` : TH}>
                {c.srOnly ? <span className="sr-only">{c.label}</span> : c.label}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">{children}</tbody>
    </table>
  );
  return bare ? table : <div className={TABLE_WRAPPER}>{table}</div>;
}
