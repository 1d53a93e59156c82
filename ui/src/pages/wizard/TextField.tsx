import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field } from '../../components/ui';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'id'>;

/** An input wired to its Field's ids: described by its help and error, marked invalid with the error. */
export function TextInput(
  props: InputProps & {
    ids: { id: string; describedBy: string | undefined; invalid: boolean };
    value: string;
    onChange: (value: string) => void;
  },
) {
  const { ids, value, onChange, ...rest } = props;
  return (
    <input
      type="text"
      autoComplete="off"
      {...rest}
      id={ids.id}
      value={value}
      aria-describedby={ids.describedBy}
      aria-invalid={ids.invalid || undefined}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** A labelled text input (or url, number…) with its help and error. */
export function TextField(
  props: InputProps & {
    label: ReactNode;
    help?: ReactNode;
    error?: ReactNode;
    value: string;
    onChange: (value: string) => void;
  },
) {
  const { label, help, error, required, ...input } = props;
  return (
    <Field label={label} help={help} error={error} required={required}>
      {(ids) => <TextInput ids={ids} {...input} />}
    </Field>
  );
}
