import { useTranslation } from 'react-i18next';
import { ListOrTextField } from './ListOrTextField';
import type { useSourceColumns } from './source-columns';
import { findColumn } from './template';

/** The key column: one of the source's columns once they are known (or none), else a name typed by hand. */
export function KeyColumnField(props: {
  text: { label: string; help: string; example: string };
  value: string;
  columns: ReturnType<typeof useSourceColumns>;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation('wizard');
  const names = props.columns.known ? props.columns.columns.map((c) => c.name) : undefined;
  const unknown = names !== undefined && props.value.trim() !== '' && findColumn(names, props.value) === undefined;
  return (
    <ListOrTextField
      label={props.text.label}
      help={props.text.help}
      error={unknown ? t('source.keyColumnUnknown', { name: props.value }) : undefined}
      value={props.value}
      onChange={props.onChange}
      options={names}
      none={t('source.noKeyColumn')}
      placeholder={props.text.example}
    />
  );
}
