/** The centred message an Overview panel shows before it has figures (loading, empty, not allowed). */
export function PanelMessage({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="flex min-h-28 items-center justify-center px-4 py-6 text-center text-sm text-slate-600">
      <p>
        <span className="block font-medium text-slate-800">{title}</span>
        {children}
      </p>
    </div>
  );
}
