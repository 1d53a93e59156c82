import { useTranslation } from 'react-i18next';
import type { FieldSpec } from '../../api/types';
import { Field } from '../../components/ui';
import { useCatalogText } from './catalog-text';
import type { MappingProblem } from './mapping-check';
import { sampleOf, TemplateInput, type TemplateOption } from './TemplateInput';

/** Booleans are written as people say them; these two are offered in the list. */
const BOOLEAN_OPTIONS = ['yes', 'no'];

/** One action field: its label, help and example (as placeholder), the template, the problem under it. */
export function MappingField(props: {
  field: FieldSpec;
  action: string;
  value: string;
  columns: readonly { name: string; samples: string[] }[];
  problem: MappingProblem | undefined;
  serverError: string | undefined;
  problemText: (p: MappingProblem) => string;
  onChange: (value: string) => void;
  onBlur: () => void;
  /** A word on the field's role beyond its help (the key that gathers rows into invoices). */
  note?: string;
}) {
  const { t } = useTranslation('wizard');
  const ct = useCatalogText();
  const f = props.field;
  const label = ct.fieldLabel(props.action, f);
  const values = f.options ?? (f.type === 'boolean' ? BOOLEAN_OPTIONS : undefined);
  const options: TemplateOption[] | undefined = values?.map((v) => ({ value: v, label: ct.option(v) }));
  const error = [props.problem && props.problemText(props.problem), props.serverError].filter(Boolean).join(' ') || undefined;
  const sample = error ? undefined : sampleOf(props.value, props.columns);
  return (
    <div className="wizard-map" data-field={f.key} onBlur={props.onBlur}>
      <Field
        label={label}
        help={
          <>
            {ct.fieldHelp(props.action, f)}
            {props.note && <span className="wizard-map__note">{props.note}</span>}
            {sample !== undefined && <span className="wizard-map__sample"> {t('mapping.sample', { value: sample })}</span>}
          </>
        }
        error={error}
        required={f.required && f.default === undefined}
      >
        {(ids) => (
          <TemplateInput
            {...ids}
            value={props.value}
            onChange={props.onChange}
            columns={props.columns}
            options={options}
            placeholder={t('mapping.example', { example: ct.fieldExample(props.action, f) })}
            selectDescription={t('mapping.columnFor', { field: label })}
          />
        )}
      </Field>
    </div>
  );
}
