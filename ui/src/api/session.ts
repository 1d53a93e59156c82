import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, setCsrfToken } from './client';
import type { SessionState } from './types';

export const SESSION_KEY = ['session'] as const;

/** Who is signed in (or that the owner must be created first); keeps the CSRF token for state changes. */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async () => {
      const s = await get<SessionState>('/api/session');
      setCsrfToken(s.csrfToken);
      return s;
    },
    staleTime: Infinity,
  });
}

type Credentials = { email: string; password: string; setupCode?: string };
type Started = { user: { id: string; email: string }; csrfToken: string };

export function useSessionActions() {
  const client = useQueryClient();
  const begin = (s: Started) => {
    setCsrfToken(s.csrfToken);
    client.setQueryData<SessionState>(SESSION_KEY, {
      setupRequired: false,
      setupCodeRequired: false,
      user: s.user,
      csrfToken: s.csrfToken,
    });
  };
  return {
    setup: async (c: Credentials) => begin(await post<Started>('/api/session/setup', c)),
    login: async (c: Credentials) => begin(await post<Started>('/api/session/login', c)),
    logout: async () => {
      await post('/api/session/logout');
      setCsrfToken(null);
      client.clear();
      client.setQueryData<SessionState>(SESSION_KEY, { setupRequired: false, setupCodeRequired: false, user: null, csrfToken: null });
    },
  };
}
