import { useTranslation } from 'react-i18next';
import { TextField } from '../../components/ui';

/** The name every new account is given, to tell the accounts apart; `help` gives an example that fits the form. */
export function AccountNameField(props: { value: string; onChange: (name: string) => void; error?: string; help: string }) {
  const { t } = useTranslation('accounts');
  return (
    <TextField
      label={t('connect.name')}
      help={props.help}
      error={props.error}
      required
      type="text"
      autoComplete="off"
      maxLength={200}
      value={props.value}
      onValue={props.onChange}
    />
  );
}
