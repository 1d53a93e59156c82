import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { del } from '../../api/client';
import type { Account } from '../../api/types';
import { ErrorAlert, PageHeader, Spinner } from '../../components/ui';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { AccountCard } from './AccountCard';
import { AccountsNotice, type Notice } from './AccountsNotice';
import { AddGoogleServiceAccount } from './AddGoogleServiceAccount';
import { ConnectGoogleAccount } from './ConnectGoogleAccount';
import { ConnectStripeAccount } from './ConnectStripeAccount';
import { ACCOUNTS_KEY, useAccounts } from './queries';

/** The forms that add an account, in the order of their buttons; each names its texts in accounts.json. */
const FORMS = {
  stripe: { open: 'connectStripe', title: 'connect.title', intro: 'connect.intro' },
  serviceAccount: { open: 'serviceAccount.open', title: 'serviceAccount.title', intro: 'serviceAccount.intro' },
  google: { open: 'oauth.open', title: 'oauth.title', intro: 'oauth.intro' },
} as const;
type Form = keyof typeof FORMS;

/** The accounts Sluice sends with and reads with: their state, checking them again, deleting, adding a new one. */
export function AccountsPage() {
  const { t } = useTranslation(['accounts', 'common']);
  const client = useQueryClient();
  const accounts = useAccounts();
  const [open, setOpen] = useState<Form | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [toDelete, setToDelete] = useState<Account | null>(null);
  const formHeading = useRef<HTMLHeadingElement>(null);
  const openers = useRef<Partial<Record<Form, HTMLButtonElement | null>>>({});
  const wasOpen = useRef<Form | null>(null);

  // Opening a form moves focus to it; closing it gives focus back to the button that opened it.
  useEffect(() => {
    if (open) formHeading.current?.focus();
    else if (wasOpen.current) openers.current[wasOpen.current]?.focus();
    wasOpen.current = open;
  }, [open]);

  // Back from Google's consent screen (the callback sends the browser here): say so once, by the
  // account's name when the list has it, and drop the parameters so a reload does not say it again.
  const [params, setParams] = useSearchParams();
  const returnedFromGoogle = params.get('google') === 'connected' ? (params.get('account') ?? '') : null;
  useEffect(() => {
    if (returnedFromGoogle === null || accounts.isPending) return;
    setNotice({ kind: 'google', account: accounts.data?.find((a) => a.id === returnedFromGoogle) });
    setParams(
      (p) => {
        p.delete('google');
        p.delete('account');
        return p;
      },
      { replace: true },
    );
  }, [returnedFromGoogle, accounts.isPending]);

  const close = (next: Notice | null = null) => {
    setOpen(null);
    setNotice(next);
  };

  const remove = useMutation({
    mutationFn: (a: Account) => del(`/api/accounts/${a.id}`),
    onSuccess: (_, a) => {
      setNotice({ kind: 'deleted', name: a.name });
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
          !open &&
          (Object.keys(FORMS) as Form[]).map((form) => (
            <button
              key={form}
              ref={(el) => {
                openers.current[form] = el;
              }}
              type="button"
              className={form === 'stripe' ? 'button button--primary' : 'button'}
              onClick={() => {
                setNotice(null);
                setOpen(form);
              }}
            >
              {t(FORMS[form].open)}
            </button>
          ))
        }
      >
        <p className="muted">{t('intro')}</p>
      </PageHeader>

      {open && (
        <div className="card connect-card" data-form={open}>
          <h2 className="card__title" ref={formHeading} tabIndex={-1}>
            {t(FORMS[open].title)}
          </h2>
          <p className="muted">{t(FORMS[open].intro)}</p>
          {open === 'stripe' && (
            <ConnectStripeAccount onConnected={(account) => close({ kind: 'stripe', account })} onCancel={() => close()} />
          )}
          {open === 'serviceAccount' && (
            <AddGoogleServiceAccount onAdded={(account) => close({ kind: 'serviceAccount', account })} onCancel={() => close()} />
          )}
          {open === 'google' && <ConnectGoogleAccount onCancel={() => close()} />}
        </div>
      )}
      {notice && <AccountsNotice notice={notice} />}

      {accounts.isPending ? (
        <Spinner />
      ) : accounts.error && !accounts.data ? (
        <ErrorAlert error={accounts.error} />
      ) : accounts.data.length === 0 ? (
        !open && (
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
