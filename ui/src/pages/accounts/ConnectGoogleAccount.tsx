import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../../api/client';
import { Alert, ErrorAlert } from '../../components/ui';
import { AccountNameField } from './AccountNameField';
import { fieldMessages } from './field-messages';
import { FormButtons } from './FormButtons';

/**
 * "Connect Google account" (OAuth): the server seals the name into the consent link, and the browser
 * goes to Google. Google sends it back to /oauth/google/callback, which stores the account and sends
 * the browser on to /accounts?google=connected (AccountsPage says so). Without GOOGLE_OAUTH_CLIENT_ID
 * and _SECRET the server answers 409 with its reason, shown here with who can change that.
 */
export function ConnectGoogleAccount(props: { onCancel?: () => void }) {
  const { t } = useTranslation(['accounts', 'common']);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  const [notSetUp, setNotSetUp] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setError(null);
    setNotSetUp(null);
    setNameError(name.trim() ? undefined : t('common:errors.required'));
    if (!name.trim()) return;
    setBusy(true);
    try {
      const { authUrl } = await post<{ authUrl: string }>('/api/accounts/google/connect', { name: name.trim() });
      // Busy until the browser has left for Google's consent screen.
      window.location.assign(authUrl);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.status === 409) return setNotSetUp(err.message);
      const { fields, rest } = fieldMessages(err, ['name']);
      setNameError(fields.name);
      if (rest) setError(err);
    }
  };

  return (
    <form className="connect-account" onSubmit={submit} noValidate aria-busy={busy}>
      <AccountNameField value={name} onChange={setName} error={nameError} help={t('oauth.nameHelp')} />
      {notSetUp && (
        <Alert kind="error" title={t('oauth.notSetUpTitle')}>
          <p>{notSetUp}</p>
          <p>{t('oauth.notSetUp')}</p>
        </Alert>
      )}
      <ErrorAlert error={error} />
      <FormButtons submit={t('oauth.submit')} busyText={t('oauth.opening')} busy={busy} disabled={busy} onCancel={props.onCancel} />
    </form>
  );
}
