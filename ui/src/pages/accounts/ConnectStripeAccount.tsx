import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../api/types';
import { Alert, ErrorAlert, TextField } from '../../components/ui';
import { AccountNameField } from './AccountNameField';
import { FormButtons } from './FormButtons';
import { RefusedAccountNotice } from './RefusedAccountNotice';
import { useAddAccount } from './use-add-account';

/** What a typed key says about itself, from its prefix: the live warning shows as soon as "sk_live_" is typed. */
export function keyKind(key: string): 'test' | 'live' | 'publishable' | 'other' {
  const k = key.trim();
  if (/^(sk|rk)_live_/.test(k)) return 'live';
  if (/^(sk|rk)_test_/.test(k)) return 'test';
  if (/^pk_(test|live)_/.test(k)) return 'publishable';
  return 'other';
}

/** The shape the server accepts (receivers/stripe/client.ts parseSecretKey); the server checks again. */
const WELL_FORMED = /^(sk|rk)_(test|live)_[A-Za-z0-9_]{8,}$/;

/**
 * Name + secret key, checked with Stripe at once by the server; a refused key is shown with Stripe's
 * reason (see useAddAccount). It renders its own <form>; place it outside any other form.
 */
export function ConnectStripeAccount(props: { onConnected: (account: Account) => void; onCancel?: () => void }) {
  const { t } = useTranslation(['accounts', 'common']);
  const [name, setName] = useState('');
  const [secretKey, setSecretKey] = useState('');
  const adding = useAddAccount(['name', 'secretKey'], props.onConnected);
  const { busy, fieldErrors } = adding;
  const kind = keyKind(secretKey);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // A form inside another component's page must not submit that page's form too.
    e.stopPropagation();
    const local: { name?: string; secretKey?: string } = {};
    if (!name.trim()) local.name = t('common:errors.required');
    if (!secretKey.trim()) local.secretKey = t('common:errors.required');
    else if (kind === 'publishable') local.secretKey = t('connect.publishable');
    else if (kind === 'other' || !WELL_FORMED.test(secretKey.trim())) local.secretKey = t('connect.notAKey');
    const account = await adding.add(local, () => ({ name: name.trim(), secretKey: secretKey.trim() }));
    if (account?.status === 'active') setSecretKey('');
  };

  return (
    <form className="connect-account" onSubmit={submit} noValidate aria-busy={busy !== null}>
      <AccountNameField value={name} onChange={setName} error={fieldErrors.name} help={t('connect.nameHelp')} />
      <TextField
        label={t('connect.secretKey')}
        help={t('connect.secretKeyHelp')}
        error={fieldErrors.secretKey}
        required
        type="password"
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="off"
        className="mono"
        placeholder="sk_test_…"
        value={secretKey}
        onValue={setSecretKey}
      />
      {kind === 'live' && (
        <Alert kind="warning" title={t('connect.liveTitle')}>
          <p>{t('connect.liveWarning')}</p>
        </Alert>
      )}
      <RefusedAccountNotice adding={adding} texts="connect" />
      <ErrorAlert error={adding.error} />
      <FormButtons
        submit={t('connect.submit')}
        busyText={t('connect.checking')}
        busy={busy === 'add'}
        disabled={busy !== null}
        onCancel={props.onCancel}
      />
    </form>
  );
}
