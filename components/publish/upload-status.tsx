import { Button } from '@/components/ui/button';
import { ProgressBar } from '@/components/ui/progress-bar';
import { formatBytes } from '@/lib/ui/format-bytes';
import { formatDuration } from '@/lib/ui/format-time';
import type { UploadProgress } from '@/lib/ui/upload-package';

type UploadStatusProps = { progress: UploadProgress; onCancel: () => void };

export function UploadStatus({ progress, onCancel }: UploadStatusProps) {
  const { loaded, total, bytesPerSecond } = progress;
  const percent = total > 0 ? (loaded / total) * 100 : 0;
  const sent = loaded >= total && total > 0;
  const details = [
    `${formatBytes(loaded)} of ${formatBytes(total)}`,
    `${Math.floor(percent)}%`,
    ...(bytesPerSecond && !sent
      ? [`${formatBytes(bytesPerSecond)}/s`, `${formatDuration((total - loaded) / bytesPerSecond)} left`]
      : []),
  ];

  return (
    <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex items-center justify-between gap-3">
        <p className="text-sm font-medium text-slate-900">
          {sent ? 'Upload complete — the server is verifying the package…' : 'Uploading…'}
        </p>
        <Button size="sm" onClick={onCancel}>
          Cancel
        </Button>
      </div>
      <ProgressBar value={percent} label="Upload progress" />
      <p className="text-xs text-slate-600 tabular-nums">{details.join(' · ')}</p>
    </div>
  );
}
