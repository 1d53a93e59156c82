import { useTranslation } from 'react-i18next';
import { TextField } from './TextField';

/** A row typed by hand, one input per form field, for a web form that has received nothing yet. */
export function SampleRow(props: {
  columns: readonly string[];
  value: Record<string, string>;
  onChange: (row: Record<string, string>) => void;
}) {
  const { t } = useTranslation('wizard');
  return (
    <fieldset className="wizard-sample">
      <legend>{t('test.sampleLegend')}</legend>
      <p className="small muted">{t('test.sampleHelp')}</p>
      <div className="wizard-two">
        {props.columns.map((c) => (
          <TextField key={c} label={c} value={props.value[c] ?? ''} onChange={(v) => props.onChange({ ...props.value, [c]: v })} />
        ))}
      </div>
    </fieldset>
  );
}
