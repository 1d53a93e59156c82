import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui';
import type { AddAccount } from './use-add-account';

/**
 * The account the service refused, kept by the server as inactive: the service's reason, what to do,
 * and checking it again or deleting it. `texts` name the service (`connect` for Stripe,
 * `serviceAccount` for Google): `<texts>.refusedTitle`, `.refused`, `.refusedHelp`, `.checking`.
 */
export function RefusedAccountNotice(props: {
  adding: Pick<AddAccount, 'busy' | 'refused' | 'checkAgain' | 'deleteRefused'>;
  texts: 'connect' | 'serviceAccount';
}) {
  const { t } = useTranslation('accounts');
  const { busy, refused, checkAgain, deleteRefused } = props.adding;
  if (!refused) return null;
  return (
    <Alert kind="error" title={t(`${props.texts}.refusedTitle`)}>
      <p>{t(`${props.texts}.refused`, { error: refused.lastError ?? '—' })}</p>
      <p>{t(`${props.texts}.refusedHelp`)}</p>
      <div className="row">
        <button type="button" className="button button--small" onClick={() => void checkAgain()} disabled={busy !== null}>
          {busy === 'check' ? t(`${props.texts}.checking`) : t('refused.checkAgain')}
        </button>
        <button type="button" className="button button--small button--danger" onClick={() => void deleteRefused()} disabled={busy !== null}>
          {t('refused.delete')}
        </button>
      </div>
    </Alert>
  );
}
