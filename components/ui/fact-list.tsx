import type { ReactNode } from 'react';

export type Fact = [label: string, value: ReactNode];

/** Label/value pairs as a definition list in a responsive grid. */
export function FactList({ facts, className = 'sm:grid-cols-3' }: { facts: Fact[]; className?: string }) {
  return (
    <dl className={`grid grid-cols-2 gap-x-6 gap-y-3 text-sm ${className}`}>
      {facts.map(([label, value]) => (
        <div key={label} className="min-w-0">
          <dt className="text-xs font-medium text-slate-600">{label}</dt>
          <dd className="mt-0.5 truncate text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
