import { Button } from '@/components/ui/button';

type DialogActionsProps = { submitLabel: string; pending: boolean; onCancel: () => void; disabled?: boolean };

/** Cancel + submit row at the bottom of a dialog form. */
export function DialogActions({ submitLabel, pending, onCancel, disabled = false }: DialogActionsProps) {
  return (
    <div className="flex justify-end gap-2">
      <Button onClick={onCancel} disabled={pending}>
        Cancel
      </Button>
      <Button type="submit" variant="primary" disabled={pending || disabled} aria-busy={pending}>
        {submitLabel}
      </Button>
    </div>
  );
}
