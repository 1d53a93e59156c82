import { useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { Account, Catalog, Connection } from '../../api/types';

// The wizard's own query keys, under 'wizard', so that its cache entries never clash with the shapes other pages keep.
export const keys = {
  catalog: ['wizard', 'catalog'] as const,
  accounts: ['wizard', 'accounts'] as const,
  connections: ['wizard', 'connections'] as const,
  connection: (id: string) => ['wizard', 'connection', id] as const,
  sourceFields: (source: unknown) => ['wizard', 'source-fields', source] as const,
  savedSourceFields: (id: string) => ['wizard', 'saved-source-fields', id] as const,
  importFiles: ['wizard', 'import-files'] as const,
  tabs: (accountId: string, spreadsheet: string) => ['wizard', 'tabs', accountId, spreadsheet] as const,
  preview: (id: string, rows: unknown) => ['wizard', 'preview', id, rows] as const,
  nextRuns: (id: string) => ['wizard', 'next-runs', id] as const,
};

export const useCatalog = () => useQuery({ queryKey: keys.catalog, queryFn: () => get<Catalog>('/api/catalog'), staleTime: Infinity });

export const useAccounts = () =>
  useQuery({ queryKey: keys.accounts, queryFn: async () => (await get<{ data: Account[] }>('/api/accounts')).data });

export const useConnections = () =>
  useQuery({ queryKey: keys.connections, queryFn: async () => (await get<{ data: Connection[] }>('/api/connections')).data });

export const useConnection = (id: string | undefined) =>
  useQuery({
    queryKey: keys.connection(id ?? ''),
    queryFn: () => get<Connection>(`/api/connections/${id}`),
    enabled: id !== undefined,
  });
