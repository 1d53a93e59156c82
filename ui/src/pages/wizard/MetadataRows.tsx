import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldSpec } from '../../api/types';
import { useCatalogText } from './catalog-text';
import { metadataRow, type MetadataRow } from './draft';
import type { MappingProblem } from './mapping-check';
import { TemplateInput } from './TemplateInput';

/** `metadata.<key>` fields: a row per key, each with a template like any other field. */
export function MetadataRows(props: {
  field: FieldSpec;
  action: string;
  rows: readonly MetadataRow[];
  columns: readonly { name: string; samples: string[] }[];
  problems: ReadonlyMap<number, MappingProblem>;
  serverFor: (key: string) => string | undefined;
  problemText: (p: MappingProblem) => string;
  onChange: (rows: MetadataRow[]) => void;
}) {
  const { t } = useTranslation('wizard');
  const ct = useCatalogText();
  const id = useId();
  const change = (rowId: number, patch: Partial<MetadataRow>) =>
    props.onChange(props.rows.map((r) => (r.id === rowId ? { ...r, ...patch } : r)));
  return (
    <fieldset className="wizard-map-group wizard-metadata">
      <legend>{ct.fieldLabel(props.action, props.field)}</legend>
      <p className="small muted">{ct.fieldHelp(props.action, props.field)}</p>
      {props.rows.length > 0 && (
        <ol className="wizard-metadata__rows">
          {props.rows.map((row, i) => {
            const n = i + 1;
            const problem = props.problems.get(row.id);
            const error =
              [problem && props.problemText(problem), row.key.trim() && props.serverFor(row.key.trim())].filter(Boolean).join(' ') ||
              undefined;
            const keyId = `${id}-${row.id}-key`;
            const valueId = `${id}-${row.id}-value`;
            const errorId = `${id}-${row.id}-error`;
            const keyInvalid = problem?.kind === 'metadataKey';
            return (
              <li key={row.id} className="wizard-metadata__row" role="group" aria-label={t('mapping.metadataRow', { n })}>
                <div className="field">
                  <label htmlFor={keyId} className="field__label">
                    {t('mapping.metadataKey')}
                  </label>
                  <input
                    id={keyId}
                    type="text"
                    autoComplete="off"
                    spellCheck={false}
                    maxLength={60}
                    placeholder={t('mapping.metadataKeyExample')}
                    value={row.key}
                    aria-invalid={keyInvalid || undefined}
                    aria-describedby={error && keyInvalid ? errorId : undefined}
                    onChange={(e) => change(row.id, { key: e.target.value })}
                  />
                </div>
                <div className="field">
                  <label htmlFor={valueId} className="field__label">
                    {t('mapping.metadataValue')}
                  </label>
                  <TemplateInput
                    id={valueId}
                    describedBy={error && !keyInvalid ? errorId : undefined}
                    invalid={error !== undefined && !keyInvalid}
                    value={row.template}
                    onChange={(template) => change(row.id, { template })}
                    columns={props.columns}
                    placeholder={t('mapping.example', { example: ct.fieldExample(props.action, props.field) })}
                    selectDescription={t('mapping.columnForMetadata', { n })}
                  />
                </div>
                <button
                  type="button"
                  className="button button--ghost button--small wizard-metadata__remove"
                  aria-label={t('mapping.removeMetadata', { n })}
                  onClick={() => props.onChange(props.rows.filter((r) => r.id !== row.id))}
                >
                  {t('mapping.remove')}
                </button>
                {error && (
                  <p id={errorId} className="field__error wizard-metadata__error" role="alert">
                    {error}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <button type="button" className="button button--small" onClick={() => props.onChange([...props.rows, metadataRow()])}>
        {t('mapping.addMetadata')}
      </button>
    </fieldset>
  );
}
