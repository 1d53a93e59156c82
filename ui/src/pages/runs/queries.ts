import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { RowStatus, Run, RunStatus, RunWithRows } from '../../api/types';

/** A run that may still change: its counts and rows are polled every second while it is live. */
export const isLive = (status: RunStatus | undefined) => status === 'queued' || status === 'running';

/** How often a live run is asked again, in milliseconds. */
export const LIVE_POLL_MS = 1000;

/** Rows asked for per page of a run's row table. */
export const ROWS_PAGE = 100;

export const runKeys = {
  all: ['runs'] as const,
  ofConnection: (connectionId: string) => ['runs', 'connection', connectionId] as const,
  summary: (runId: string) => ['runs', 'run', runId, 'summary'] as const,
  rows: (runId: string, status: RowStatus | 'all') => ['runs', 'run', runId, 'rows', status] as const,
};

export function useConnectionRuns(connectionId: string) {
  return useQuery({
    queryKey: runKeys.ofConnection(connectionId),
    queryFn: async () => (await get<{ data: Run[] }>(`/api/connections/${connectionId}/runs`)).data,
    refetchInterval: (q) => (q.state.data?.some((r) => isLive(r.status)) ? LIVE_POLL_MS : 5000),
  });
}

/** A run's status and counts without its rows (one row asked for: the smallest page), polled while live. */
export function useRunSummary(runId: string | null) {
  return useQuery({
    queryKey: runKeys.summary(runId ?? ''),
    queryFn: () => get<RunWithRows>(`/api/runs/${runId}?limit=1`),
    enabled: runId !== null,
    refetchInterval: (q) => (q.state.data && !isLive(q.state.data.status) ? false : LIVE_POLL_MS),
  });
}

/** A run with its rows, a page at a time ("Load more"), filtered by row status; refreshed each second while live. */
export function useRunRows(runId: string, status: RowStatus | 'all') {
  return useInfiniteQuery({
    queryKey: runKeys.rows(runId, status),
    queryFn: ({ pageParam }) =>
      get<RunWithRows>(`/api/runs/${runId}?limit=${ROWS_PAGE}&offset=${pageParam}${status === 'all' ? '' : `&status=${status}`}`),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextOffset,
    refetchInterval: (q) => (isLive(q.state.data?.pages[0]?.status) ? LIVE_POLL_MS : false),
  });
}
