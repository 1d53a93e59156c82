import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, del, post } from '../../api/client';
import type { Account } from '../../api/types';
import { Alert, ErrorAlert, Field } from '../../components/ui';
import { ACCOUNTS_KEY } from './queries';
import { fieldMessages } from './field-messages';

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
 * Name + secret key, checked with Stripe at once by the server. A refused key is kept by the server
 * as an inactive account: it is shown here with Stripe's reason, and replaced when the key is
 * corrected and sent again, so fixing a typo never leaves a dead account behind. It renders its
 * own <form>; place it outside any other form.
 */
export function ConnectStripeAccount(props: { onConnected: (account: Account) => void; onCancel?: () => void }) {
  const { t } = useTranslation(['accounts', 'common']);
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [secretKey, setSecretKey] = useState('');
  const [busy, setBusy] = useState<'connect' | 'check' | 'delete' | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [refused, setRefused] = useState<Account | null>(null);

  const kind = keyKind(secretKey);
  const refresh = () => client.invalidateQueries({ queryKey: ACCOUNTS_KEY });

  /** The refused account either turned active (done) or stays refused (shown with its reason). */
  const settle = (account: Account) => {
    if (account.status === 'active') {
      setRefused(null);
      props.onConnected(account);
    } else setRefused(account);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // A form inside another component's page must not submit that page's form too.
    e.stopPropagation();
    setError(null);
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = t('common:errors.required');
    if (!secretKey.trim()) local.secretKey = t('common:errors.required');
    else if (kind === 'publishable') local.secretKey = t('connect.publishable');
    else if (kind === 'other' || !WELL_FORMED.test(secretKey.trim())) local.secretKey = t('connect.notAKey');
    setFieldErrors(local);
    if (Object.keys(local).length) return;
    setBusy('connect');
    try {
      // The corrected key replaces the refused account rather than adding a second one.
      if (refused) await del(`/api/accounts/${refused.id}`).catch(() => undefined);
      setRefused(null);
      const account = await post<Account>('/api/accounts', { name: name.trim(), secretKey: secretKey.trim() });
      await refresh();
      if (account.status === 'active') setSecretKey('');
      settle(account);
    } catch (err) {
      const { fields, rest } = fieldMessages(err, ['name', 'secretKey']);
      setFieldErrors(fields);
      if (rest) setError(err);
    } finally {
      setBusy(null);
    }
  };

  const checkAgain = async () => {
    if (!refused) return;
    setBusy('check');
    setError(null);
    try {
      const account = await post<Account>(`/api/accounts/${refused.id}/check`);
      await refresh();
      settle(account);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const deleteRefused = async () => {
    if (!refused) return;
    setBusy('delete');
    setError(null);
    try {
      await del(`/api/accounts/${refused.id}`);
      setRefused(null);
      await refresh();
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) setError(err);
      else setRefused(null);
    } finally {
      setBusy(null);
    }
  };

  return (
    <form className="connect-account" onSubmit={submit} noValidate aria-busy={busy !== null}>
      <Field label={t('connect.name')} help={t('connect.nameHelp')} error={fieldErrors.name} required>
        {(f) => (
          <input
            id={f.id}
            type="text"
            autoComplete="off"
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-describedby={f.describedBy}
            aria-invalid={f.invalid}
          />
        )}
      </Field>
      <Field label={t('connect.secretKey')} help={t('connect.secretKeyHelp')} error={fieldErrors.secretKey} required>
        {(f) => (
          <input
            id={f.id}
            type="password"
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="off"
            className="mono"
            placeholder="sk_test_…"
            value={secretKey}
            onChange={(e) => setSecretKey(e.target.value)}
            aria-describedby={f.describedBy}
            aria-invalid={f.invalid}
          />
        )}
      </Field>
      {kind === 'live' && (
        <Alert kind="warning" title={t('connect.liveTitle')}>
          <p>{t('connect.liveWarning')}</p>
        </Alert>
      )}
      {refused && (
        <Alert kind="error" title={t('connect.refusedTitle')}>
          <p>{t('connect.refused', { error: refused.lastError ?? '—' })}</p>
          <p>{t('connect.refusedHelp')}</p>
          <div className="row">
            <button type="button" className="button button--small" onClick={checkAgain} disabled={busy !== null}>
              {busy === 'check' ? t('connect.checking') : t('connect.checkAgain')}
            </button>
            <button type="button" className="button button--small button--danger" onClick={deleteRefused} disabled={busy !== null}>
              {t('connect.deleteRefused')}
            </button>
          </div>
        </Alert>
      )}
      <ErrorAlert error={error} />
      <div className="row">
        <button type="submit" className="button button--primary" disabled={busy !== null}>
          {busy === 'connect' ? t('connect.checking') : t('connect.submit')}
        </button>
        {props.onCancel && (
          <button type="button" className="button" onClick={props.onCancel} disabled={busy === 'connect'}>
            {t('common:actions.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
