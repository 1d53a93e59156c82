import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../api/types';
import { ErrorAlert, Field } from '../../components/ui';
import { AccountNameField } from './AccountNameField';
import { FormButtons } from './FormButtons';
import { RefusedAccountNotice } from './RefusedAccountNotice';
import { MAX_KEY_FILE_BYTES, parseServiceAccountKey, type KeyProblem } from './service-account-key';
import { useAddAccount } from './use-add-account';

type KeyFrom = 'file' | 'paste';

/**
 * Name + a service account's JSON key, chosen as a file (read here, in the browser) or pasted. The
 * key is checked here first, so a wrong file is named at once; the server then checks it with Google
 * and answers with the address spreadsheets must be shared with. A refused key is shown with Google's
 * reason, as the Stripe form does. It renders its own <form>; place it outside any other form.
 */
export function AddGoogleServiceAccount(props: { onAdded: (account: Account) => void; onCancel?: () => void }) {
  const { t } = useTranslation(['accounts', 'common']);
  const [name, setName] = useState('');
  const [from, setFrom] = useState<KeyFrom>('file');
  const [file, setFile] = useState<{ name: string; text: string } | { name: string; tooLarge: true } | null>(null);
  const [pasted, setPasted] = useState('');
  // A chosen file is judged at once; pasted text once it is left or sent, not while it is typed.
  const [judgePasted, setJudgePasted] = useState(false);
  const adding = useAddAccount(['name', 'credentials'], props.onAdded);
  const { busy, fieldErrors } = adding;
  const radios = useId();

  const text = from === 'file' ? (file && 'text' in file ? file.text : '') : pasted;
  const parsed = parseServiceAccountKey(text);
  const problemText = (p: KeyProblem) => {
    if (p.problem === 'empty') return t('common:errors.required');
    if (p.problem === 'wrongType') return t('serviceAccount.problems.wrongType', { type: p.type });
    if (p.problem === 'missingField') return t('serviceAccount.problems.missingField', { field: p.field });
    return t(`serviceAccount.problems.${p.problem}`);
  };
  const localProblem = (): string | undefined => {
    if (from === 'file' && file && !('text' in file)) return problemText({ problem: 'tooLarge' });
    return parsed.ok ? undefined : problemText(parsed);
  };
  const judged = from === 'file' ? file !== null : judgePasted;
  // The form's own finding while it stands; the server's message about the key once sent.
  const keyError = (judged ? localProblem() : undefined) ?? fieldErrors.credentials;

  const choose = async (chosen: File | undefined) => {
    if (!chosen) return setFile(null);
    if (chosen.size > MAX_KEY_FILE_BYTES) return setFile({ name: chosen.name, tooLarge: true });
    setFile({ name: chosen.name, text: await chosen.text() });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setJudgePasted(true);
    const local: { name?: string; credentials?: string } = {};
    if (!name.trim()) local.name = t('common:errors.required');
    const problem = localProblem();
    if (problem) local.credentials = problem;
    await adding.add(local, () => ({
      name: name.trim(),
      type: 'google_service_account',
      credentials: parsed.ok ? parsed.credentials : {},
    }));
  };

  // Whose key it is, once it reads as one: the file input itself may show no name after switching back to it.
  const keyOf = parsed.ok && (
    <p className="small key-of">
      {from === 'file' && file
        ? t('serviceAccount.fileKeyOf', { file: file.name, email: parsed.email })
        : t('serviceAccount.keyOf', { email: parsed.email })}
    </p>
  );

  return (
    <form className="connect-account" onSubmit={submit} noValidate aria-busy={busy !== null}>
      <AccountNameField value={name} onChange={setName} error={fieldErrors.name} help={t('serviceAccount.nameHelp')} />
      <fieldset className="key-from">
        <legend>{t('serviceAccount.keyFrom')}</legend>
        {(['file', 'paste'] as const).map((k) => (
          <label key={k} className="choice">
            <input type="radio" name={radios} value={k} checked={from === k} onChange={() => setFrom(k)} />
            <span>{t(`serviceAccount.from.${k}`)}</span>
          </label>
        ))}
      </fieldset>
      {from === 'file' ? (
        <Field label={t('serviceAccount.file')} help={t('serviceAccount.fileHelp')} error={keyError} required>
          {(f) => (
            <>
              <input
                id={f.id}
                type="file"
                accept=".json,application/json"
                aria-describedby={f.describedBy}
                aria-invalid={f.invalid || undefined}
                onChange={(e) => void choose(e.target.files?.[0])}
              />
              {keyOf}
            </>
          )}
        </Field>
      ) : (
        <Field label={t('serviceAccount.paste')} help={t('serviceAccount.pasteHelp')} error={keyError} required>
          {(f) => (
            <>
              <textarea
                id={f.id}
                className="key-text"
                rows={8}
                autoComplete="off"
                spellCheck={false}
                autoCapitalize="off"
                placeholder={'{ "type": "service_account", … }'}
                value={pasted}
                onChange={(e) => setPasted(e.target.value)}
                onBlur={() => setJudgePasted(pasted.trim() !== '')}
                aria-describedby={f.describedBy}
                aria-invalid={f.invalid}
              />
              {keyOf}
            </>
          )}
        </Field>
      )}
      <RefusedAccountNotice adding={adding} texts="serviceAccount" />
      <ErrorAlert error={adding.error} />
      <FormButtons
        submit={t('serviceAccount.submit')}
        busyText={t('serviceAccount.checking')}
        busy={busy === 'add'}
        disabled={busy !== null}
        onCancel={props.onCancel}
      />
    </form>
  );
}
