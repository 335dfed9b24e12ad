import { useId, type ReactNode } from 'react';

export type CheckboxOption = { value: string; label: string; description?: ReactNode };

type CheckboxListProps = {
  legend: string;
  options: CheckboxOption[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  disabled?: boolean;
  hint?: ReactNode;
  /** Grid columns on wider screens. */
  columns?: 1 | 2 | 3;
  /** Offer "Select all" / "Select none" (for long lists). */
  bulk?: boolean;
};

const COLUMNS = { 1: '', 2: 'sm:grid-cols-2', 3: 'sm:grid-cols-3' } as const;

/**
 * A fieldset of checkboxes. Each checkbox's accessible name is exactly its label; a description
 * is attached with aria-describedby so it does not change the name.
 */
export function CheckboxList({ legend, options, selected, onChange, disabled = false, hint, columns = 2, bulk = false }: CheckboxListProps) {
  const id = useId();
  const toggle = (value: string, checked: boolean) => {
    const next = new Set(selected);
    if (checked) next.add(value);
    else next.delete(value);
    // Keep the options' order, whatever order the boxes were ticked in.
    onChange(options.map((option) => option.value).filter((v) => next.has(v)));
  };
  return (
    <fieldset disabled={disabled}>
      <legend className="text-sm font-medium text-slate-900">{legend}</legend>
      {hint && <p className="text-xs text-slate-600">{hint}</p>}
      {bulk && (
        <div className="mt-1 flex gap-3 text-xs">
          <button type="button" className="font-medium text-indigo-700 hover:underline" onClick={() => onChange(options.map((o) => o.value))}>
            Select all
          </button>
          <button type="button" className="font-medium text-indigo-700 hover:underline" onClick={() => onChange([])}>
            Select none
          </button>
        </div>
      )}
      <div className={`mt-2 grid gap-x-4 gap-y-2 ${COLUMNS[columns]}`}>
        {options.map((option, index) => {
          const inputId = `${id}-${index}`;
          const descriptionId = option.description ? `${inputId}-description` : undefined;
          return (
            <div key={option.value} className="flex items-start gap-2">
              <input
                id={inputId}
                type="checkbox"
                checked={selected.includes(option.value)}
                onChange={(event) => toggle(option.value, event.target.checked)}
                aria-describedby={descriptionId}
                className="mt-0.5 size-4 rounded border-slate-300 accent-indigo-600"
              />
              <div className="min-w-0 text-sm leading-tight">
                <label htmlFor={inputId} className="font-medium text-slate-800">
                  {option.label}
                </label>
                {option.description && (
                  <p id={descriptionId} className="text-xs text-slate-600">
                    {option.description}
                  </p>
                )}
              </div>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
