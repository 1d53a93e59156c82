import { useTranslation } from 'react-i18next';
import { Field } from '../../components/ui';

/** The name every new account is given, to tell the accounts apart; `help` gives an example that fits the form. */
export function AccountNameField(props: { value: string; onChange: (name: string) => void; error?: string; help: string }) {
  const { t } = useTranslation('accounts');
  return (
    <Field label={t('connect.name')} help={props.help} error={props.error} required>
      {(f) => (
        <input
          id={f.id}
          type="text"
          autoComplete="off"
          maxLength={200}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          aria-describedby={f.describedBy}
          aria-invalid={f.invalid}
        />
      )}
    </Field>
  );
}
