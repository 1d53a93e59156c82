import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import type { Connection } from '../../api/types';
import { Alert } from '../../components/ui';
import { useErrorMessage } from '../dashboard/error-message';
import { CONNECTIONS_KEY } from '../dashboard/queries';
import { runKeys } from './queries';

/** "Run now" on a connection's run history: the new run appears in the list and is followed live. */
export function RunNowButton({ connection }: { connection: Pick<Connection, 'id' | 'name'> }) {
  const { t } = useTranslation('dashboard');
  const client = useQueryClient();
  const messageOf = useErrorMessage();
  const run = useMutation({
    mutationFn: () => post<{ runId: string }>(`/api/connections/${connection.id}/run`),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: runKeys.ofConnection(connection.id) });
      void client.invalidateQueries({ queryKey: CONNECTIONS_KEY });
    },
  });
  return (
    <>
      <button
        type="button"
        className="button button--primary"
        aria-label={t('connection.runNow', { name: connection.name })}
        onClick={() => run.mutate()}
        disabled={run.isPending}
      >
        {t('connection.runNowText')}
      </button>
      {run.error && (
        <div className="page-header__error">
          <Alert kind="error">{t('connection.runFailed', { name: connection.name, message: messageOf(run.error) })}</Alert>
        </div>
      )}
    </>
  );
}
