import { useQuery } from '@tanstack/react-query';
import type { ChannelHistoryView, ChannelView } from '@/lib/engine/registry/views';
import { fetchJson } from './api-error';
import { packageKey } from './use-package';

export type Channel = ChannelView;
export type ChannelHistory = ChannelHistoryView;

/** Under the package's key, so invalidating the package refreshes its channels too. */
export const channelsKey = (name: string) => [...packageKey(name), 'channels'] as const;

const base = (name: string) => `/api/v1/packages/${encodeURIComponent(name)}/channels`;

export function useChannels(name: string) {
  return useQuery({
    queryKey: channelsKey(name),
    queryFn: async () => (await fetchJson<{ channels: Channel[] }>(base(name))).channels,
  });
}

export function useChannelHistory(name: string, channel: string | null, page = 1) {
  return useQuery({
    queryKey: [...channelsKey(name), 'history', channel, page] as const,
    queryFn: () => fetchJson<ChannelHistory>(`${base(name)}/${encodeURIComponent(channel ?? '')}/history?page=${page}&per_page=10`),
    enabled: channel !== null,
  });
}
