import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del } from '../../api/client';
import type { Account } from '../../api/types';
import { Alert, ErrorAlert, PageHeader, Spinner } from '../../components/ui';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { AccountCard } from './AccountCard';
import { ConnectStripeAccount } from './ConnectStripeAccount';
import { ACCOUNTS_KEY, useAccounts } from './queries';

/** The accounts Sluice sends with and reads with: their state, checking them again, deleting, connecting a new one. */
export function AccountsPage() {
  const { t } = useTranslation(['accounts', 'common']);
  const client = useQueryClient();
  const accounts = useAccounts();
  const [connecting, setConnecting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<Account | null>(null);
  const formHeading = useRef<HTMLHeadingElement>(null);
  const connectButton = useRef<HTMLButtonElement>(null);
  const wasConnecting = useRef(false);

  // Opening the form moves focus to it; closing it gives focus back to the button that opened it.
  useEffect(() => {
    if (connecting) formHeading.current?.focus();
    else if (wasConnecting.current) connectButton.current?.focus();
    wasConnecting.current = connecting;
  }, [connecting]);

  const remove = useMutation({
    mutationFn: (a: Account) => del(`/api/accounts/${a.id}`),
    onSuccess: (_, a) => {
      setNotice(t('delete.done', { name: a.name }));
      setToDelete(null);
      client.setQueryData<Account[]>(ACCOUNTS_KEY, (list) => list?.filter((x) => x.id !== a.id));
      void client.invalidateQueries({ queryKey: ACCOUNTS_KEY });
    },
  });

  return (
    <section>
      <PageHeader
        title={t('title')}
        actions={
          !connecting && (
            <button
              ref={connectButton}
              type="button"
              className="button button--primary"
              onClick={() => {
                setNotice(null);
                setConnecting(true);
              }}
            >
              {t('connectStripe')}
            </button>
          )
        }
      >
        <p className="muted">{t('intro')}</p>
      </PageHeader>

      {connecting && (
        <div className="card connect-card">
          <h2 className="card__title" ref={formHeading} tabIndex={-1}>
            {t('connect.title')}
          </h2>
          <p className="muted">{t('connect.intro')}</p>
          <ConnectStripeAccount
            onConnected={(a) => {
              setConnecting(false);
              setNotice(t('connect.connected', { name: a.name }));
            }}
            onCancel={() => setConnecting(false)}
          />
        </div>
      )}
      {notice && <Alert kind="success">{notice}</Alert>}

      {accounts.isPending ? (
        <Spinner />
      ) : accounts.error && !accounts.data ? (
        <ErrorAlert error={accounts.error} />
      ) : accounts.data.length === 0 ? (
        !connecting && (
          <div className="card empty">
            <h2 className="card__title">{t('empty.title')}</h2>
            <p>{t('empty.text')}</p>
          </div>
        )
      ) : (
        <ul className="accounts" aria-label={t('listLabel')}>
          {accounts.data.map((a) => (
            <AccountCard
              key={a.id}
              account={a}
              onDelete={(x) => {
                remove.reset();
                setNotice(null);
                setToDelete(x);
              }}
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
        conflict={t('delete.inUse', { name: toDelete?.name ?? '' })}
        onConfirm={() => toDelete && remove.mutate(toDelete)}
        onCancel={() => setToDelete(null)}
      >
        <p>{t('delete.text')}</p>
      </ConfirmDialog>
    </section>
  );
}
