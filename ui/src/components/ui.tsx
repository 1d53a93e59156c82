import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** A labelled form control with its help and its error, wired for screen readers. */
export function Field(props: {
  label: ReactNode;
  help?: ReactNode;
  error?: ReactNode;
  required?: boolean;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}) {
  const id = useId();
  const { t } = useTranslation();
  const helpId = props.help ? `${id}-help` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${props.error ? ' field--invalid' : ''}`}>
      <label htmlFor={id} className="field__label">
        {props.label}
        {props.required && (
          <span className="field__required" title={t('errors.required')}>
            {' '}
            *<span className="visually-hidden">{t('errors.required')}</span>
          </span>
        )}
      </label>
      {props.children({ id, describedBy, invalid: Boolean(props.error) })}
      {props.help && (
        <p id={helpId} className="field__help">
          {props.help}
        </p>
      )}
      {props.error && (
        <p id={errorId} className="field__error" role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A labelled one-line input: <Field> with its input, for the common case of a value and its setter. */
export function TextField(
  props: { label: ReactNode; help?: ReactNode; error?: ReactNode; value: string; onValue: (value: string) => void } & Omit<
    InputHTMLAttributes<HTMLInputElement>,
    'id' | 'value' | 'onChange'
  >,
) {
  const { label, help, error, value, onValue, required, ...input } = props;
  return (
    <Field label={label} help={help} error={error} required={required}>
      {(f) => (
        <input
          {...input}
          id={f.id}
          required={required}
          value={value}
          onChange={(e) => onValue(e.target.value)}
          aria-describedby={f.describedBy}
          aria-invalid={f.invalid}
        />
      )}
    </Field>
  );
}

export function Alert(props: { kind?: 'error' | 'warning' | 'success' | 'info'; title?: ReactNode; children?: ReactNode }) {
  const kind = props.kind ?? 'info';
  return (
    <div className={`alert alert--${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {props.title && <p className="alert__title">{props.title}</p>}
      {props.children}
    </div>
  );
}

/** An error from the API shown in the person's words: the server's message, or "cannot be reached". */
export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const message =
    error instanceof ApiError && error.status === 0 ? t('errors.network') : t('errors.unexpected', { message: (error as Error).message });
  return (
    <Alert kind="error">
      <p>{message}</p>
      {error instanceof ApiError && error.errors.length > 0 && (
        <ul>
          {error.errors.map((e, i) => (
            <li key={i}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

export function Spinner({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <span className="spinner" role="status">
      <span className="spinner__dot" aria-hidden="true" />
      <span className="visually-hidden">{label ?? t('status.loading')}</span>
    </span>
  );
}

export function Badge(props: { tone: 'neutral' | 'good' | 'bad' | 'warn' | 'info' | 'live'; children: ReactNode }) {
  return <span className={`badge badge--${props.tone}`}>{props.children}</span>;
}

/** An on/off switch: a real checkbox with role="switch", so keyboards and screen readers get it for free. */
export function Switch(props: { checked: boolean; onChange: (checked: boolean) => void; label: string; disabled?: boolean; id?: string }) {
  return (
    <label className="switch">
      <input
        type="checkbox"
        role="switch"
        id={props.id}
        checked={props.checked}
        disabled={props.disabled}
        aria-checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <span className="switch__track" aria-hidden="true">
        <span className="switch__thumb" />
      </span>
      <span className="visually-hidden">{props.label}</span>
    </label>
  );
}

export function PageHeader(props: { title: ReactNode; actions?: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.children}
      </div>
      {props.actions && <div className="page-header__actions">{props.actions}</div>}
    </header>
  );
}
