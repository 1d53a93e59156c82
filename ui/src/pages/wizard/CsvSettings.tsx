import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Field } from '../../components/ui';
import { useFormat } from '../../lib/format';
import { FoundColumns } from './ColumnsTable';
import { nextContentId, type CsvOrigin, type Draft } from './draft';
import { KeyColumnField } from './KeyColumnField';
import { MAX_UPLOAD_BYTES, readCsvFile } from './read-file';
import { isHttpUrl, useSettingText } from './setting-text';
import type { StepProps } from './step-props';
import type { useSourceColumns } from './source-columns';
import { ChoiceCard } from './ChoiceCard';
import { TextField } from './TextField';
import { ImportFilePicker } from './ImportFilePicker';

const ORIGINS: CsvOrigin[] = ['upload', 'url', 'path'];
const DELIMITERS = [',', ';', '\t', '|'] as const;
const DELIMITER_NAMES = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'bar' } as const;

/** A CSV source: a file uploaded in the browser (kept with the connection), a URL read on every run, or a file on the server. */
export function CsvSettings(props: StepProps & { columns: ReturnType<typeof useSourceColumns>; showMissing: boolean }) {
  const { t } = useTranslation('wizard');
  const { number } = useFormat();
  const setting = useSettingText(props.catalog, 'csv');
  const csv = props.draft.csv;
  const set = (patch: Partial<Draft['csv']>) => props.update((d) => ({ ...d, csv: { ...d.csv, ...patch } }));
  const [fileNote, setFileNote] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);

  const choose = async (file: File | undefined) => {
    if (!file) return;
    const read = await readCsvFile(file);
    if (!read.ok) {
      setFileNote({
        kind: 'error',
        text: t('source.csv.tooLarge', { size: number(read.bytes / 1_000_000, 1), limit: number(MAX_UPLOAD_BYTES / 1_000_000) }),
      });
      return;
    }
    setFileNote(read.encoding === 'utf-8' ? null : { kind: 'info', text: t('source.csv.readAsCp1251') });
    set({ content: read.text, fileName: file.name, contentId: nextContentId() });
  };

  const url = setting('url');
  const path = setting('path');
  const urlProblem =
    csv.url.trim() === ''
      ? props.showMissing
        ? t('source.missing.url')
        : undefined
      : isHttpUrl(csv.url)
        ? undefined
        : t('source.csv.badUrl');
  const lines = csv.content === '' ? 0 : csv.content.split('\n').filter((l) => l.trim() !== '').length;

  return (
    <div className="stack">
      <fieldset className="wizard-choices wizard-choices--inline">
        <legend>{t('source.csv.origin')}</legend>
        {ORIGINS.map((origin) => (
          <ChoiceCard
            key={origin}
            name="csv-origin"
            value={origin}
            checked={csv.origin === origin}
            onChange={() => set({ origin })}
            title={t(`source.csv.origins.${origin}`)}
            description={t(`source.csv.originHelp.${origin}`)}
          />
        ))}
      </fieldset>

      {csv.origin === 'upload' && (
        <Field
          label={t('source.csv.file')}
          help={t('source.csv.fileHelp', { limit: number(MAX_UPLOAD_BYTES / 1_000_000) })}
          error={
            fileNote?.kind === 'error' ? fileNote.text : props.showMissing && csv.content === '' ? t('source.missing.file') : undefined
          }
          required
        >
          {(f) => (
            <>
              <input
                id={f.id}
                type="file"
                accept=".csv,.tsv,.txt,text/csv,text/plain"
                aria-describedby={f.describedBy}
                aria-invalid={f.invalid || undefined}
                onChange={(e) => void choose(e.target.files?.[0])}
              />
              {csv.content !== '' && (
                <p className="small wizard-file">
                  {csv.fileName ? t('source.csv.chosen', { name: csv.fileName, count: lines }) : t('source.csv.saved', { count: lines })}
                </p>
              )}
            </>
          )}
        </Field>
      )}
      {fileNote?.kind === 'info' && <Alert kind="info">{fileNote.text}</Alert>}

      {csv.origin === 'url' && (
        <TextField
          label={url.label}
          help={url.help}
          error={urlProblem}
          required
          type="url"
          inputMode="url"
          spellCheck={false}
          placeholder={url.example}
          value={csv.url}
          onChange={(v) => set({ url: v })}
        />
      )}

      {csv.origin === 'path' && (
        <ImportFilePicker
          label={path.label}
          help={path.help}
          value={csv.path}
          onChange={(v) => set({ path: v })}
          showMissing={props.showMissing}
        />
      )}

      <div className="wizard-two">
        <KeyColumnField
          text={setting('keyColumn')}
          value={csv.keyColumn}
          columns={props.columns}
          onChange={(keyColumn) => set({ keyColumn })}
        />
        <Field label={setting('delimiter').label} help={setting('delimiter').help}>
          {(f) => (
            <select id={f.id} value={csv.delimiter} aria-describedby={f.describedBy} onChange={(e) => set({ delimiter: e.target.value })}>
              <option value="">{t('source.csv.delimiterAuto')}</option>
              {DELIMITERS.map((d) => (
                <option key={d} value={d}>
                  {t(`source.csv.delimiters.${DELIMITER_NAMES[d]}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <FoundColumns columns={props.columns} />
    </div>
  );
}
