import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, patch, post } from '../../api/client';
import type { Connection, FieldSpec } from '../../api/types';
import { Alert, ErrorAlert } from '../../components/ui';
import { useCatalogText } from './catalog-text';
import { bodyOf, type Draft } from './draft';
import { mappingProblems, type MappingProblem } from './mapping-check';
import { MappingField } from './MappingField';
import { MetadataRows } from './MetadataRows';
import { useProblemText, withoutField } from './problem-text';
import { useSourceColumns } from './source-columns';
import type { StepProps } from './step-props';
import { NextButton, StepSection, WizardNav } from './StepSection';
import { suggestMapping } from './suggest';
import { TextField } from './TextField';
import { placeholder } from './template';
import { ChoiceCard } from './ChoiceCard';
import { isGrouped } from './GroupingNote';

/** Problems the person has not had a chance to fix yet are held back until they try to go on. */
const shownEarly = (p: MappingProblem) => p.kind !== 'required' && p.kind !== 'requiredWith';

/**
 * Step 4: each field of the action gets a column, a constant or a template mixing both; the
 * connection gets its name. "Next" saves the connection (created switched off, without a
 * schedule) and goes on to the test; the server's problems then show under their fields.
 */
export function MappingStep(props: StepProps & { onSaved: (saved: Connection, draft: Draft) => void }) {
  const { t } = useTranslation('wizard');
  const ct = useCatalogText();
  const { draft, catalog, connection, update } = props;
  const action = catalog.actions.find((a) => a.key === draft.action);
  const source = catalog.sources.find((s) => s.type === draft.sourceType);
  const columns = useSourceColumns(draft, connection);
  const problemText = useProblemText(ct, draft.action, action?.fields ?? []);
  const [attempted, setAttempted] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [editedSinceSave, setEditedSinceSave] = useState<ReadonlySet<string>>(new Set());
  const root = useRef<HTMLDivElement>(null);

  // Once, when the columns are first known: fields named like a column read that column (Email → email).
  useEffect(() => {
    if (!action || draft.suggested || !columns.known || columns.pending) return;
    update((d) => ({
      ...d,
      suggested: true,
      mapping: { ...suggestMapping(action.fields, columns.columns, ct, action.key), ...d.mapping },
    }));
  }, [action, draft.suggested, columns.known, columns.pending, columns.columns, ct, update]);

  const save = useMutation({
    mutationFn: async (d: Draft) => {
      if (!action) throw new Error('no action');
      const body = bodyOf(d, action, connection === undefined);
      return connection ? patch<Connection>(`/api/connections/${connection.id}`, body) : post<Connection>('/api/connections', body);
    },
    // The server's answer is about the mapping as sent: edits from now on hide its message for their field.
    onMutate: () => setEditedSinceSave(new Set()),
    onSuccess: (saved, d) => props.onSaved(saved, d),
  });

  if (!action || !source) {
    return (
      <StepSection step="mapping">
        <Alert kind="warning">{t(!source ? 'mapping.needSource' : 'mapping.needAction')}</Alert>
        <WizardNav onBack={() => props.go(!source ? 'source' : 'action')} />
      </StepSection>
    );
  }

  const isPush = source.mode === 'push';
  const columnNames = columns.columns.map((c) => c.name);
  const problems = mappingProblems({
    fields: action.fields,
    mapping: draft.mapping,
    metadata: draft.metadata,
    columns: !isPush && columns.known ? columnNames : undefined,
  });
  const visible = (key: string, p: MappingProblem | undefined) => (p && (shownEarly(p) || attempted || touched.has(key)) ? p : undefined);
  const serverErrors = save.error instanceof ApiError ? save.error.errors : [];
  const serverFor = (field: string) =>
    editedSinceSave.has(field)
      ? undefined
      : serverErrors
          .filter((e) => e.field === field)
          .map((e) => withoutField(e.field, e.message))
          .join(' ') || undefined;
  const placed = (field: string) =>
    field.startsWith('mapping.') &&
    (action.fields.some((f) => `mapping.${f.key}` === field) || draft.metadata.some((r) => `mapping.metadata.${r.key.trim()}` === field));
  const unplaced = serverErrors.filter((e) => !placed(e.field));

  const defaultName = t('mapping.defaultName', { source: ct.sourceTitle(source), action: ct.actionTitle(action) });
  const name = draft.nameEdited ? draft.name : defaultName;
  const nameProblem = draft.nameEdited && draft.name.trim() === '' ? t('mapping.nameRequired') : serverFor('name');

  const setTemplate = (key: string, template: string) => {
    update((d) => ({ ...d, mapping: { ...d.mapping, [key]: template } }));
    setEditedSinceSave((s) => new Set(s).add(`mapping.${key}`));
  };
  const touch = (key: string) => setTouched((s) => (s.has(key) ? s : new Set(s).add(key)));

  const next = () => {
    setAttempted(true);
    const blocked = problems.fields.size > 0 || problems.metadata.size > 0 || (draft.nameEdited && draft.name.trim() === '');
    if (blocked) {
      // After React shows every problem: the first field in trouble takes the focus.
      requestAnimationFrame(() => root.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    save.mutate({ ...draft, name: name.trim() });
  };

  const plain = action.fields.filter((f) => f.type !== 'metadata' && !f.key.includes('.'));
  const groups = new Map<string, FieldSpec[]>();
  for (const f of action.fields) {
    const prefix = f.type === 'metadata' ? undefined : f.key.split('.')[0];
    if (prefix !== undefined && f.key.includes('.')) groups.set(prefix, [...(groups.get(prefix) ?? []), f]);
  }
  const metadataField = action.fields.find((f) => f.type === 'metadata');
  const fieldProps = (f: FieldSpec) => ({
    field: f,
    action: action.key,
    value: draft.mapping[f.key] ?? '',
    columns: columns.columns,
    problem: visible(f.key, problems.fields.get(f.key)),
    serverError: serverFor(`mapping.${f.key}`),
    problemText,
    onChange: (v: string) => setTemplate(f.key, v),
    onBlur: () => touch(f.key),
    note: isGrouped(action) && f.key === action.grouped.by ? t('mapping.groupKeyNote') : undefined,
  });
  const blockedCount = problems.fields.size + problems.metadata.size;

  return (
    <StepSection step="mapping" intro={t('mapping.intro', { example: '{{First}} {{Last}}' })}>
      <div ref={root} className="stack">
        <div className="card">
          <h3 className="card__title">{t('mapping.connectionTitle')}</h3>
          <TextField
            label={t('mapping.name')}
            help={t('mapping.nameHelp')}
            error={nameProblem}
            required
            maxLength={200}
            value={name}
            onChange={(v) => update((d) => ({ ...d, name: v, nameEdited: true }))}
          />
          {!isPush &&
            (connection ? (
              <p className="small muted">{t(`mapping.startFromSaved.${connection.startFrom}`)}</p>
            ) : (
              <fieldset className="wizard-choices">
                <legend>{t('mapping.startFrom')}</legend>
                {(['all', 'new'] as const).map((v) => (
                  <ChoiceCard
                    key={v}
                    name="start-from"
                    value={v}
                    checked={draft.startFrom === v}
                    onChange={() => update((d) => ({ ...d, startFrom: v }))}
                    title={t(`mapping.startFromOptions.${v}`)}
                    description={t(`mapping.startFromHelp.${v}`)}
                  />
                ))}
              </fieldset>
            ))}
        </div>

        <div className="card">
          <h3 className="card__title">{t('mapping.fieldsTitle', { action: ct.actionTitle(action) })}</h3>
          <p className="small muted">
            {isPush
              ? t('mapping.fieldsHelpForm', { example: placeholder(t('mapping.fieldExample')) })
              : t('mapping.fieldsHelp', { example: placeholder(t('mapping.columnExample')) })}
          </p>
          {columns.query.error != null && !isPush && <Alert kind="warning">{t('mapping.columnsUnknown')}</Alert>}
          <div className="wizard-map-grid">
            {plain.map((f) => (
              <MappingField key={f.key} {...fieldProps(f)} />
            ))}
          </div>
          {[...groups].map(([prefix, fields]) => (
            <fieldset key={prefix} className="wizard-map-group">
              <legend>{ct.group(prefix)}</legend>
              <div className="wizard-map-grid">
                {fields.map((f) => (
                  <MappingField key={f.key} {...fieldProps(f)} />
                ))}
              </div>
            </fieldset>
          ))}
          {metadataField && (
            <MetadataRows
              field={metadataField}
              action={action.key}
              rows={draft.metadata}
              columns={columns.columns}
              problems={problems.metadata}
              serverFor={(key) => serverFor(`mapping.metadata.${key}`)}
              problemText={problemText}
              onChange={(metadata) => update((d) => ({ ...d, metadata }))}
            />
          )}
        </div>

        {attempted && blockedCount > 0 && <Alert kind="error">{t('mapping.blocked', { count: blockedCount })}</Alert>}
        {save.error != null && !(save.error instanceof ApiError && save.error.status === 400) && <ErrorAlert error={save.error} />}
        {save.error instanceof ApiError && save.error.status === 400 && (
          <Alert kind="error" title={t('mapping.notSaved')}>
            {unplaced.length > 0 ? (
              <ul>
                {unplaced.map((e, i) => (
                  <li key={i}>
                    {e.message}{' '}
                    {(e.field.startsWith('source') || e.field === 'accountId') && (
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => props.go(e.field === 'accountId' ? 'account' : 'source')}
                      >
                        {t(e.field === 'accountId' ? 'mapping.goToAccount' : 'mapping.goToSource')}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t('mapping.seeFields')}</p>
            )}
          </Alert>
        )}
      </div>
      <WizardNav onBack={() => props.go('account')}>
        <NextButton onClick={next} busy={save.isPending} />
      </WizardNav>
    </StepSection>
  );
}
