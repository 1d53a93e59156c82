import { useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { Connection } from '../../api/types';
import { isLive, LIVE_POLL_MS } from '../runs/queries';

/** The connections list's cache key; a change to any connection invalidates it. */
export const CONNECTIONS_KEY = ['connections'] as const;
export const connectionKey = (id: string) => ['connections', id] as const;

/** How often the dashboard asks again when nothing is running: schedules and webhooks start runs on their own. */
const IDLE_POLL_MS = 5000;

export function useConnections() {
  return useQuery({
    queryKey: CONNECTIONS_KEY,
    queryFn: async () => (await get<{ data: Connection[] }>('/api/connections')).data,
    refetchInterval: (q) => (q.state.data?.some((c) => isLive(c.lastRun?.status)) ? LIVE_POLL_MS : IDLE_POLL_MS),
  });
}

export function useConnection(id: string | undefined) {
  return useQuery({
    queryKey: connectionKey(id ?? ''),
    queryFn: () => get<Connection>(`/api/connections/${id}`),
    enabled: Boolean(id),
  });
}
