import type { ReactNode } from 'react';
import { Field } from '../../components/ui';
import { TextInput } from './TextField';

/**
 * A value picked from a list once the list is known (a sheet's tabs, a source's columns), typed by
 * hand before that, or when the value is not in the list (so nothing typed is ever hidden).
 */
export function ListOrTextField(props: {
  label: ReactNode;
  help?: ReactNode;
  error?: ReactNode;
  required?: boolean;
  value: string;
  onChange: (value: string) => void;
  options: readonly string[] | undefined;
  /** The list's entry for no value; without it, an empty value shows `pick` until one is chosen. */
  none?: string;
  pick?: string;
  placeholder?: string;
}) {
  const listed = props.options !== undefined && (props.value === '' || props.options.includes(props.value));
  return (
    <Field label={props.label} help={props.help} error={props.error} required={props.required}>
      {(ids) =>
        listed ? (
          <select
            id={ids.id}
            value={props.value}
            aria-describedby={ids.describedBy}
            aria-invalid={ids.invalid || undefined}
            onChange={(e) => props.onChange(e.target.value)}
          >
            {props.none !== undefined ? (
              <option value="">{props.none}</option>
            ) : (
              props.value === '' && <option value="">{props.pick}</option>
            )}
            {props.options?.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        ) : (
          <TextInput ids={ids} placeholder={props.placeholder} value={props.value} onChange={props.onChange} />
        )
      }
    </Field>
  );
}
