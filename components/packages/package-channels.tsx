'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { removeChannelAction, setChannelAction } from '@/app/(dashboard)/packages/[name]/actions';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { INPUT_CLASSES, TextField } from '@/components/forms/text-field';
import { ChannelTable } from '@/components/tables/channel-table';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import { Pagination } from '@/components/ui/pagination';
import { RelativeTime } from '@/components/ui/relative-time';
import type { VersionSummary } from '@/lib/queries/api-types';
import { channelsKey, useChannelHistory, useChannels, type Channel } from '@/lib/queries/use-channels';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';

type PackageChannelsProps = { name: string; versions: VersionSummary[]; canManage: boolean };

/** Named aliases (production, stable…) of this package: everyone sees them; ManageVersions moves them. */
export function PackageChannels({ name, versions, canManage }: PackageChannelsProps) {
  const { data: channels, error } = useChannels(name);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Channel | null>(null);
  const queryClient = useQueryClient();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: channelsKey(name) });
  const remove = useMutation({
    mutationFn: (channel: string) => unwrapAction(removeChannelAction({ name, channel })),
    onSuccess: async () => {
      await invalidate();
      setRemoving(null);
    },
  });

  if (error) return <ErrorState title="Could not load the channels" error={error} />;
  if (!channels) return null;
  if (channels.length === 0 && !canManage) return null;

  return (
    <Card title="Channels">
      <div className="space-y-4 p-4">
        <p className="text-xs text-slate-600">
          A channel names the version a deployment should take: <code className="font-mono">torsh download {name}@production</code>{' '}
          fetches whatever <code className="font-mono">production</code> points at. <code className="font-mono">latest</code> is
          always the newest non-yanked version.
        </p>
        {channels.length === 0 ? (
          <p className="text-sm text-slate-600">No channels yet.</p>
        ) : (
          <ChannelTable
            name={name}
            channels={channels}
            onHistory={setHistoryOf}
            onRemove={canManage ? setRemoving : undefined}
          />
        )}
        {canManage && <MoveChannelForm name={name} versions={versions} channels={channels} onMoved={invalidate} />}
      </div>
      <ConfirmDialog
        open={removing !== null}
        title={`Remove channel ${removing?.name ?? ''}?`}
        confirmLabel="Remove channel"
        pending={remove.isPending}
        error={remove.error}
        errorTitle="Could not remove the channel"
        onConfirm={() => removing && remove.mutate(removing.name)}
        onClose={() => setRemoving(null)}
      >
        Downloads of <code className="font-mono">{name}@{removing?.name}</code> will fail until the channel is set again. Its history is kept.
      </ConfirmDialog>
      {historyOf && <ChannelHistoryDialog name={name} channel={historyOf} onClose={() => setHistoryOf(null)} />}
    </Card>
  );
}

function MoveChannelForm({ name, versions, channels, onMoved }: { name: string; versions: VersionSummary[]; channels: Channel[]; onMoved: () => Promise<unknown> }) {
  const versionId = useId();
  const listId = useId();
  const live = versions.filter((v) => !v.yanked);
  const [channel, setChannel] = useState('');
  const [version, setVersion] = useState(live[0]?.version ?? '');
  const move = useMutation({
    mutationFn: () => unwrapAction(setChannelAction({ name, channel: channel.trim(), version })),
    onSuccess: async () => {
      await onMoved();
      setChannel('');
    },
  });
  if (live.length === 0) return <p className="text-sm text-slate-600">Every version is yanked: there is nothing a channel could point at.</p>;

  return (
    <form
      className="space-y-2 border-t border-slate-200 pt-4"
      onSubmit={(event) => {
        event.preventDefault();
        move.mutate();
      }}
    >
      <h3 className="text-sm font-semibold text-slate-900">Set a channel</h3>
      <div className="flex flex-wrap items-end gap-3">
        <TextField
          label="Channel"
          hint="New or existing, e.g. production"
          list={listId}
          value={channel}
          onChange={(event) => setChannel(event.target.value)}
          required
          maxLength={32}
          autoComplete="off"
          errors={fieldErrors(move.error, 'channel')}
          className="w-56"
        />
        <datalist id={listId}>
          {channels.map((c) => (
            <option key={c.name} value={c.name} />
          ))}
        </datalist>
        <div>
          <label htmlFor={versionId} className="block text-sm font-medium text-slate-900">
            Version
          </label>
          <select id={versionId} value={version} onChange={(event) => setVersion(event.target.value)} className={`mt-1.5 w-40 font-mono ${INPUT_CLASSES}`}>
            {live.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="primary" disabled={!channel.trim() || move.isPending} aria-busy={move.isPending}>
          Set channel
        </Button>
      </div>
      {move.error && <ErrorState title="Could not set the channel" error={move.error} />}
    </form>
  );
}

function ChannelHistoryDialog({ name, channel, onClose }: { name: string; channel: string; onClose: () => void }) {
  const [page, setPage] = useState(1);
  const { data, error, isPending } = useChannelHistory(name, channel, page);
  return (
    <Dialog open title={`History of ${channel}`} onClose={onClose}>
      <div className="space-y-3 text-sm">
        {error && <ErrorState title="Could not load the history" error={error} />}
        {isPending && <p aria-busy="true">Loading…</p>}
        {data && (
          <>
            <ol className="divide-y divide-slate-100 rounded-md border border-slate-200">
              {data.history.map((move, i) => (
                <li key={`${move.moved_at}-${i}`} className="flex flex-wrap items-baseline justify-between gap-2 px-3 py-2">
                  <span className="font-mono">
                    {move.from_version ?? '—'} → {move.to_version ?? 'removed'}
                  </span>
                  <span className="text-xs text-slate-600">
                    <RelativeTime ms={move.moved_at} /> by {move.moved_by}
                  </span>
                </li>
              ))}
            </ol>
            {data.total > data.per_page && <Pagination page={data.page} perPage={data.per_page} total={data.total} shown={data.history.length} onPageChange={setPage} />}
          </>
        )}
        <div className="flex justify-end">
          <Button onClick={onClose}>Close</Button>
        </div>
      </div>
    </Dialog>
  );
}
