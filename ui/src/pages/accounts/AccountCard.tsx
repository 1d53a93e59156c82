import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import type { Account } from '../../api/types';
import { Alert, Badge, ErrorAlert } from '../../components/ui';
import { RelativeTime } from '../runs/RelativeTime';
import { ACCOUNTS_KEY } from './queries';

/** One account: what it is, whether its key works (in words, not only colour), and its actions. */
export function AccountCard({ account: a, onDelete }: { account: Account; onDelete: (a: Account) => void }) {
  const { t } = useTranslation(['accounts', 'common']);
  const client = useQueryClient();
  const check = useMutation({
    mutationFn: () => post<Account>(`/api/accounts/${a.id}/check`),
    onSuccess: (checked) => {
      client.setQueryData<Account[]>(ACCOUNTS_KEY, (list) => list?.map((x) => (x.id === a.id ? checked : x)));
      void client.invalidateQueries({ queryKey: ACCOUNTS_KEY });
    },
  });
  const isGoogle = a.type !== 'stripe';

  return (
    <li className="card account" data-account-id={a.id}>
      <div className="account__head">
        <h2 className="account__name">{a.name}</h2>
        <span className="row row--tight">
          {a.mode && <Badge tone={a.mode === 'live' ? 'live' : 'info'}>{t(`common:status.${a.mode}`)}</Badge>}
          <Badge tone={a.status === 'active' ? 'good' : 'bad'}>{t(`common:status.${a.status}`)}</Badge>
        </span>
      </div>
      <dl className="facts facts--compact">
        <div>
          <dt>{t('fields.type')}</dt>
          <dd>{t(`type.${a.type}`)}</dd>
        </div>
        {isGoogle && a.email ? (
          <div>
            <dt>{t('fields.email')}</dt>
            <dd className="mono account__secret">{a.email}</dd>
          </div>
        ) : (
          <div>
            <dt>{t('fields.key')}</dt>
            <dd className="mono account__secret">{a.keyHint ?? '—'}</dd>
          </div>
        )}
        <div>
          <dt>{t('fields.checkedAt')}</dt>
          <dd>{a.checkedAt ? <RelativeTime iso={a.checkedAt} /> : t('fields.neverChecked')}</dd>
        </div>
      </dl>
      {a.status === 'inactive' && a.lastError && !check.data && (
        <p className="account__error">
          <strong>{t('fields.lastError')}:</strong> {a.lastError}
        </p>
      )}
      {check.data &&
        (check.data.status === 'active' ? (
          <Alert kind="success">{t('check.ok', { name: a.name })}</Alert>
        ) : (
          <Alert kind="error">{t('check.refused', { name: a.name, error: check.data.lastError ?? '—' })}</Alert>
        ))}
      <ErrorAlert error={check.error} />
      <div className="account__actions">
        <button
          type="button"
          className="button button--small"
          aria-label={t('check.label', { name: a.name })}
          onClick={() => check.mutate()}
          disabled={check.isPending}
        >
          {check.isPending ? t('check.checking') : t('check.button')}
        </button>
        <button
          type="button"
          className="button button--small button--danger"
          aria-label={t('delete.label', { name: a.name })}
          onClick={() => onDelete(a)}
        >
          {t('delete.button')}
        </button>
      </div>
    </li>
  );
}
