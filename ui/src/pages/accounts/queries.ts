import { useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { Account } from '../../api/types';

/** The accounts list's cache key; connecting, checking or deleting an account invalidates it. */
export const ACCOUNTS_KEY = ['accounts'] as const;

export function useAccounts() {
  return useQuery({
    queryKey: ACCOUNTS_KEY,
    queryFn: async () => (await get<{ data: Account[] }>('/api/accounts')).data,
  });
}
