import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { useSession, useSessionActions } from '../../api/session';
import { LanguageSwitcher } from '../../app/LanguageSwitcher';
import { Alert, TextField } from '../../components/ui';

/** First start: the owner's email and password. */
export function SetupPage() {
  return <CredentialsForm mode="setup" />;
}

export function LoginPage() {
  return <CredentialsForm mode="login" />;
}

function CredentialsForm({ mode }: { mode: 'setup' | 'login' }) {
  const { t } = useTranslation('auth');
  const actions = useSessionActions();
  const session = useSession();
  const navigate = useNavigate();
  // Only where the server asks for it (a Sluice other machines can reach); on loopback there is none.
  const needsCode = mode === 'setup' && session.data?.setupCodeRequired === true;
  const [setupCode, setSetupCode] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (mode === 'setup') {
      const local: Record<string, string> = {};
      if (password.length < 10) local.password = t('fields.passwordShort');
      else if (password !== repeat) local.repeat = t('fields.passwordMismatch');
      setFieldErrors(local);
      if (Object.keys(local).length) return;
    }
    setBusy(true);
    try {
      await actions[mode]({ email, password, ...(needsCode && { setupCode }) });
      navigate('/', { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.errors.length) {
        // The code's refusal is said in the page's language; other fields' messages are the server's.
        setFieldErrors(
          Object.fromEntries(err.errors.map((p) => [p.field, p.field === 'setupCode' ? t('fields.setupCodeWrong') : p.message])),
        );
      } else if (err instanceof ApiError && err.status === 401) setError(t('login.wrong'));
      else if (err instanceof ApiError && err.status === 429) setError(err.message || t('login.tooMany'));
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth" id="main">
      <div className="auth__card">
        <div className="auth__top">
          <span className="brand brand--large" aria-hidden="true">
            Sluice
          </span>
          <LanguageSwitcher />
        </div>
        <h1>{t(`${mode}.title`)}</h1>
        {mode === 'setup' && <p className="muted">{t('setup.intro')}</p>}
        {error && <Alert kind="error">{error}</Alert>}
        <form onSubmit={submit} noValidate>
          {needsCode && (
            <TextField
              label={t('fields.setupCode')}
              required
              help={t('fields.setupCodeHelp')}
              error={fieldErrors.setupCode}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              value={setupCode}
              onValue={setSetupCode}
            />
          )}
          <TextField
            label={t('fields.email')}
            required
            error={fieldErrors.email}
            type="email"
            autoComplete={mode === 'setup' ? 'username' : 'email'}
            value={email}
            onValue={setEmail}
          />
          <TextField
            label={t('fields.password')}
            required
            help={mode === 'setup' ? t('fields.passwordHelp') : undefined}
            error={fieldErrors.password}
            type="password"
            autoComplete={mode === 'setup' ? 'new-password' : 'current-password'}
            value={password}
            onValue={setPassword}
          />
          {mode === 'setup' && (
            <TextField
              label={t('fields.passwordRepeat')}
              required
              error={fieldErrors.repeat}
              type="password"
              autoComplete="new-password"
              value={repeat}
              onValue={setRepeat}
            />
          )}
          <button className="button button--primary button--wide" type="submit" disabled={busy}>
            {t(`${mode}.submit`)}
          </button>
        </form>
      </div>
    </main>
  );
}
