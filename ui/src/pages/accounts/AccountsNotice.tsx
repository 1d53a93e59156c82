import { useTranslation } from 'react-i18next';
import type { Account } from '../../api/types';
import { CopyButton } from '../../components/CopyButton';
import { Alert } from '../../components/ui';

/**
 * What just happened on the Accounts page. Kept as data, not text, so it follows a change of
 * language. `google` is a Google account connected with OAuth: the browser came back from Google to
 * /accounts?google=connected&account=<id> (without the account when the list does not have it).
 */
export type Notice =
  | { kind: 'stripe'; account: Account }
  | { kind: 'serviceAccount'; account: Account }
  | { kind: 'google'; account?: Account }
  | { kind: 'deleted'; name: string };

export function AccountsNotice({ notice }: { notice: Notice }) {
  const { t } = useTranslation('accounts');
  switch (notice.kind) {
    case 'stripe':
      return <Alert kind="success">{t('connect.connected', { name: notice.account.name })}</Alert>;
    case 'deleted':
      return <Alert kind="success">{t('delete.done', { name: notice.name })}</Alert>;
    case 'google':
      return (
        <Alert kind="success">{notice.account ? t('oauth.connected', { name: notice.account.name }) : t('oauth.connectedUnnamed')}</Alert>
      );
    case 'serviceAccount': {
      const email = notice.account.email ?? '';
      return (
        <Alert kind="success" title={t('serviceAccount.added', { name: notice.account.name })}>
          <p>{t('serviceAccount.share')}</p>
          <p className="account-email">
            <code>{email}</code>
            <CopyButton text={email} label={t('serviceAccount.copyEmail')} />
          </p>
          <p>{t('serviceAccount.roles')}</p>
        </Alert>
      );
    }
  }
}
