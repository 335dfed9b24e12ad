import type { Metadata } from 'next';
import { PageHeader } from '@/components/layout/page-header';
import { CurlPublishHint } from '@/components/publish/curl-publish-hint';
import { PublishGate } from '@/components/publish/publish-gate';
import { Card } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Publish' };

export default function PublishPage() {
  return (
    <>
      <PageHeader
        title="Publish"
        subtitle="Upload a .torshpkg package. Versions are immutable: a published name@version can be yanked, never replaced."
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <PublishGate />
        <Card title="Publish from CI" className="self-start">
          <div className="space-y-3 p-4 text-sm text-slate-700">
            <p>
              Any HTTP client can publish: PUT the file to the version&apos;s URL with an API token (create one under API
              tokens). A <code className="font-mono">201</code> answer carries its sha256 digest.
            </p>
            <CurlPublishHint />
          </div>
        </Card>
      </div>
    </>
  );
}
