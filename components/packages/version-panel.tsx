'use client';

import { FactList, type Fact } from '@/components/ui/fact-list';
import { useId } from 'react';
import { ResourceTable } from '@/components/tables/resource-table';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { ErrorState } from '@/components/ui/error-state';
import { Icon } from '@/components/ui/icon';
import { RelativeTime } from '@/components/ui/relative-time';
import { Skeleton } from '@/components/ui/skeleton';
import type { VersionDetail } from '@/lib/queries/api-types';
import { usePackageVersion } from '@/lib/queries/use-package-version';
import { digestHex } from '@/lib/ui/digest';
import { formatBytes } from '@/lib/ui/format-bytes';
import { DeleteVersionButton } from './delete-controls';
import { DownloadCount } from './download-count';
import { SignatureSummary } from './signature-badge';
import { YankControls } from './yank-controls';

type VersionPanelProps = { name: string; version: string; latest: string | null; canDelete: boolean };

/** Details of the selected version: signature, download, checksum, yank, resources and manifest. */
export function VersionPanel({ name, version, latest, canDelete }: VersionPanelProps) {
  const { data, error, isPending } = usePackageVersion(name, version);
  const title = (
    <span className="flex flex-wrap items-center gap-2">
      <span className="font-mono">
        {name}@{version}
      </span>
      {version === latest && <Badge tone="success">Latest</Badge>}
      {data?.yanked && <Badge tone="warning">Yanked</Badge>}
    </span>
  );

  if (isPending) {
    return (
      <Card title={title}>
        <div aria-busy="true" className="space-y-3 p-4">
          <span className="sr-only">Loading version {version}…</span>
          <Skeleton className="h-4 w-2/3" />
          <Skeleton className="h-4 w-1/2" />
          <Skeleton className="h-24 w-full" />
        </div>
      </Card>
    );
  }
  if (error) return <ErrorState title={`Could not load ${name}@${version}`} error={error} />;

  return (
    <Card
      title={title}
      actions={
        <div className="flex items-start gap-2">
          <YankControls name={name} version={version} yanked={data.yanked} />
          {canDelete && <DeleteVersionButton name={name} version={version} />}
          <a href={data.download_url} download className={buttonClasses('primary')}>
            <Icon name="download" />
            Download
          </a>
        </div>
      }
    >
      <div className="space-y-5 p-4">
        {data.yanked && <YankedNotice detail={data} />}
        {data.encrypted && <EncryptedNotice />}
        <SignatureSummary signature={data.signature} />
        <VersionFacts detail={data} />
        <Checksum digest={data.digest} />
        {data.encrypted ? (
          <div>
            <h3 className="mb-2 text-sm font-semibold text-slate-900">Resources</h3>
            <p className="text-sm text-slate-600">Unknown: the registry cannot read what is inside an encrypted file.</p>
          </div>
        ) : (
          <div>
            <h3 className="mb-2 text-sm font-semibold text-slate-900">Resources ({data.resources.length})</h3>
            <ResourceTable resources={data.resources} />
          </div>
        )}
        <details className="rounded-md border border-slate-200">
          <summary className="cursor-pointer px-3 py-2 text-sm font-semibold text-slate-900 select-none hover:bg-slate-50">
            Manifest
          </summary>
          <pre className="max-h-[32rem] overflow-auto border-t border-slate-200 bg-slate-50 px-3 py-2 font-mono text-xs leading-relaxed text-slate-800">
            {JSON.stringify(data.manifest, null, 2)}
          </pre>
        </details>
      </div>
    </Card>
  );
}

function YankedNotice({ detail }: { detail: VersionDetail }) {
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <p className="font-medium">
        This version was yanked{detail.yanked_at !== null && <> <RelativeTime ms={detail.yanked_at} /></>}.
      </p>
      {detail.yank_reason && <p className="mt-0.5">Reason: {detail.yank_reason}</p>}
      <p className="mt-0.5 text-amber-800">
        It stays downloadable for existing lockfiles but is not picked as latest.
      </p>
    </div>
  );
}

function EncryptedNotice() {
  return (
    <div className="rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm text-indigo-950">
      <p className="font-medium">Encrypted package</p>
      <p className="mt-0.5 text-indigo-900">
        This package is stored encrypted (AES-256-GCM). After downloading it, decrypt it with{' '}
        <code className="font-mono">torsh decrypt</code> and the password it was encrypted with before use. The registry cannot
        see inside it, so its resources are unknown.
      </p>
    </div>
  );
}

function VersionFacts({ detail }: { detail: VersionDetail }) {
  const facts: Fact[] = [
    ['Published', <RelativeTime key="published" ms={detail.published_at} />],
    ['Publisher', detail.publisher],
    ['Size', formatBytes(detail.size)],
    ['Downloads', <DownloadCount key="downloads" value={detail.downloads} />],
    ['Format version', detail.format_version],
  ];
  return <FactList facts={facts} />;
}

function Checksum({ digest }: { digest: string }) {
  const id = useId();
  const hex = digestHex(digest);
  return (
    <div>
      <p className="text-xs font-medium text-slate-600">SHA-256</p>
      <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-2">
        <code id={id} aria-label="sha256 checksum" className="rounded bg-slate-100 px-2 py-1 font-mono text-xs break-all text-slate-800">
          {hex}
        </code>
        <CopyButton text={hex} label="Copy checksum" fallbackTargetId={id} />
      </div>
    </div>
  );
}
