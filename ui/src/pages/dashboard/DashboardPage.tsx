import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { del } from '../../api/client';
import type { Connection } from '../../api/types';
import { Alert, ErrorAlert, PageHeader, Spinner } from '../../components/ui';
import { useAccounts } from '../accounts/queries';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ConnectionItem } from './ConnectionItem';
import { CONNECTIONS_KEY, useConnections } from './queries';

/** Every connection with its switch, its last and next run and its actions; live runs show their progress. */
export function DashboardPage() {
  const { t } = useTranslation(['dashboard', 'common']);
  const client = useQueryClient();
  const connections = useConnections();
  const accounts = useAccounts();
  const [toDelete, setToDelete] = useState<Connection | null>(null);
  const [deleted, setDeleted] = useState<string | null>(null);

  const remove = useMutation({
    mutationFn: (c: Connection) => del(`/api/connections/${c.id}`),
    onSuccess: (_, c) => {
      setDeleted(c.name);
      setToDelete(null);
      client.setQueryData<Connection[]>(CONNECTIONS_KEY, (list) => list?.filter((x) => x.id !== c.id));
      void client.invalidateQueries({ queryKey: CONNECTIONS_KEY });
    },
  });

  const askDelete = (c: Connection) => {
    remove.reset();
    setDeleted(null);
    setToDelete(c);
  };

  const list = connections.data;
  return (
    <section>
      <PageHeader title={t('title')}>
        <p className="muted">{t('intro')}</p>
      </PageHeader>
      {deleted && <Alert kind="success">{t('delete.done', { name: deleted })}</Alert>}
      {connections.isPending ? (
        <Spinner />
      ) : connections.error && !list ? (
        <>
          <ErrorAlert error={connections.error} />
          <button type="button" className="button" onClick={() => void connections.refetch()}>
            {t('common:actions.retry')}
          </button>
        </>
      ) : !list || list.length === 0 ? (
        <div className="card empty">
          <h2 className="card__title">{t('empty.title')}</h2>
          <p>{t('empty.text')}</p>
          <p>
            <Link to="/connections/new" className="button button--primary">
              {t('empty.create')}
            </Link>
          </p>
        </div>
      ) : (
        <ul className="connections" aria-label={t('listLabel')}>
          {list.map((c) => (
            <ConnectionItem
              key={c.id}
              connection={c}
              account={accounts.data?.find((a) => a.id === c.accountId)}
              connections={list}
              onDelete={askDelete}
            />
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={toDelete !== null}
        title={t('delete.title', { name: toDelete?.name ?? '' })}
        confirmLabel={t('delete.confirm')}
        busyLabel={t('delete.deleting')}
        busy={remove.isPending}
        error={remove.error}
        conflict={t('delete.busy', { name: toDelete?.name ?? '' })}
        onConfirm={() => toDelete && remove.mutate(toDelete)}
        onCancel={() => setToDelete(null)}
      >
        <p>{t('delete.text')}</p>
      </ConfirmDialog>
    </section>
  );
}
