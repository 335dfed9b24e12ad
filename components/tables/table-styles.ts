// Shared class names so every table in the dashboard looks the same.
export const TABLE_WRAPPER = 'overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm';
export const TABLE = 'min-w-full text-sm';
export const THEAD = 'border-b border-slate-200 bg-slate-50 text-left text-xs font-medium tracking-wide text-slate-600 uppercase';
export const TH = 'px-4 py-2.5 font-medium whitespace-nowrap';
export const TD = 'px-4 py-2.5 text-slate-800';
