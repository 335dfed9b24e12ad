import { Button } from '@/components/ui/button';
import { ProgressBar } from '@/components/ui/progress-bar';
import { formatBytes } from '@/lib/ui/format-bytes';
import { formatDuration } from '@/lib/ui/format-time';
import type { UploadProgress } from '@/lib/ui/upload-package';

type UploadStatusProps = {
  progress: UploadProgress;
  /** 'verifying': every byte is on the server, which is now checking and publishing the package. */
  phase: 'uploading' | 'paused' | 'verifying';
  onPause: () => void;
  onResume: () => void;
  onCancel: () => void;
};

const TITLES = {
  uploading: 'Uploading…',
  paused: 'Paused — the server keeps what it has; resume any time (also after reloading this page).',
  verifying: 'Upload complete — the server is verifying the package…',
};

export function UploadStatus({ progress, phase, onPause, onResume, onCancel }: UploadStatusProps) {
  const { loaded, total, bytesPerSecond } = progress;
  const percent = total > 0 ? (loaded / total) * 100 : 0;
  const details = [
    `${formatBytes(loaded)} of ${formatBytes(total)}`,
    `${Math.floor(percent)}%`,
    ...(bytesPerSecond && phase === 'uploading' && loaded < total
      ? [`${formatBytes(bytesPerSecond)}/s`, `${formatDuration((total - loaded) / bytesPerSecond)} left`]
      : []),
  ];

  return (
    <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex items-center justify-between gap-3">
        <p role="status" className="text-sm font-medium text-slate-900">
          {TITLES[phase]}
        </p>
        {phase !== 'verifying' && (
          <div className="flex gap-2">
            {phase === 'paused' ? (
              <Button size="sm" variant="primary" onClick={onResume}>
                Resume
              </Button>
            ) : (
              <Button size="sm" onClick={onPause}>
                Pause
              </Button>
            )}
            <Button size="sm" onClick={onCancel}>
              Cancel
            </Button>
          </div>
        )}
      </div>
      <ProgressBar value={percent} label="Upload progress" />
      <p className="text-xs text-slate-600 tabular-nums">{details.join(' · ')}</p>
    </div>
  );
}
