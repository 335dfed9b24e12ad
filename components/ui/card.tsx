import { useId, type ReactNode } from 'react';

type CardProps = { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string };

/** A bordered panel; with a title it is a section labelled by its heading. */
export function Card({ title, actions, children, className = '' }: CardProps) {
  const titleId = useId();
  return (
    <section
      aria-labelledby={title ? titleId : undefined}
      className={`rounded-lg border border-slate-200 bg-white shadow-sm ${className}`}
    >
      {title && (
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3">
          <h2 id={titleId} className="text-sm font-semibold text-slate-900">
            {title}
          </h2>
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}
