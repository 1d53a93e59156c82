import { useQuery } from '@tanstack/react-query';
import { get, post } from '../../api/client';
import type { Connection, SourceFields } from '../../api/types';
import { missingSourceSetting, sourceOf, type Draft } from './draft';
import { keys } from './queries';
import { useDebounced } from './use-debounced';

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Columns are read again after this long at most while the wizard is open (a URL's file may change, but not by the second). */
const FRESH_MS = 60_000;

/**
 * The columns the mapping can use, with sample values. A file or a sheet is read through POST
 * /api/sources/fields with the settings as they are now (not saved yet), once the person stops
 * typing. A web form has no columns of its own: the fields of its latest posts (once saved) and
 * the field names the person typed.
 */
export function useSourceColumns(draft: Draft, connection: Connection | undefined) {
  const isWebhook = draft.sourceType === 'webhook';
  const ready = !isWebhook && missingSourceSetting(draft) === undefined;
  const current = ready ? sourceOf(draft, { forColumns: true }) : undefined;
  const source = useDebounced(current, 500, sameJson);
  const settled = source !== undefined && sameJson(source, current);
  // An uploaded file's text stands for itself in the cache key by its number, not by its (large) text.
  const keySource = source && 'content' in source ? { ...source, content: draft.csv.contentId } : source;
  // A saved connection's address is shown masked (`https://user:•••@…`): naming the connection lets
  // the server read it with the connection's sealed password and query.
  const connectionId = connection?.id;
  const pulled = useQuery({
    queryKey: keys.sourceFields({ source: keySource, connectionId }),
    queryFn: () => post<SourceFields>('/api/sources/fields', { source, ...(connectionId !== undefined && { connectionId }) }),
    enabled: ready && source !== undefined,
    staleTime: FRESH_MS,
    retry: false,
  });
  const savedWebhook = isWebhook && connection?.source.type === 'webhook' ? connection.id : undefined;
  const received = useQuery({
    queryKey: keys.savedSourceFields(savedWebhook ?? ''),
    queryFn: () => get<SourceFields>(`/api/connections/${savedWebhook}/source/fields`),
    enabled: savedWebhook !== undefined,
  });
  if (isWebhook) {
    const seen = received.data?.columns ?? [];
    const typed = draft.webhook.fields.filter((f) => !seen.some((c) => c.name === f)).map((name) => ({ name, samples: [] }));
    return { query: received, columns: [...seen, ...typed], known: true, pending: received.isFetching };
  }
  return {
    query: pulled,
    columns: ready && pulled.data ? pulled.data.columns : [],
    /** Whether the columns are those of the settings now shown (not still being read, not failed). */
    known: ready && settled && pulled.isSuccess,
    pending: ready && (!settled || pulled.isFetching),
  };
}
