import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, post } from '../../api/client';
import { Field } from '../../components/ui';
import { FoundColumns } from './ColumnsTable';
import type { Draft } from './draft';
import { KeyColumnField } from './KeyColumnField';
import { ListOrTextField } from './ListOrTextField';
import { TextField } from './TextField';
import { keys, useAccounts } from './queries';
import { useSettingText } from './setting-text';
import type { StepProps } from './step-props';
import type { useSourceColumns } from './source-columns';
import { useDebounced } from './use-debounced';

interface Tabs {
  tabs: { title: string; sheetId: number }[];
  linked?: string;
}

/** A Google Sheets source: the account that reads it (or none, for a sheet published as CSV), the spreadsheet, its tab and header row. */
export function SheetsSettings(props: StepProps & { columns: ReturnType<typeof useSourceColumns>; showMissing: boolean }) {
  const { t } = useTranslation(['wizard', 'common']);
  const setting = useSettingText(props.catalog, 'google_sheets');
  const sheets = props.draft.sheets;
  const set = (patch: Partial<Draft['sheets']>) => props.update((d) => ({ ...d, sheets: { ...d.sheets, ...patch } }));
  const accounts = useAccounts();
  const google = (accounts.data ?? []).filter((a) => a.type !== 'stripe');

  const spreadsheet = useDebounced(sheets.spreadsheet.trim(), 500);
  const tabs = useQuery({
    queryKey: keys.tabs(sheets.accountId, spreadsheet),
    queryFn: () => post<Tabs>('/api/sources/google-sheets/tabs', { accountId: sheets.accountId, spreadsheet }),
    enabled: sheets.accountId !== '' && spreadsheet !== '',
    retry: false,
    staleTime: 60_000,
  });
  // The tab the link points at (#gid=…), else the first one, until the person picks another.
  const suggestedTab = tabs.data?.linked ?? tabs.data?.tabs[0]?.title;
  useEffect(() => {
    if (sheets.tab === '' && suggestedTab !== undefined) set({ tab: suggestedTab });
    // Only when the tabs arrive: a tab the person cleared on purpose stays cleared.
  }, [suggestedTab]);

  const account = setting('accountId');
  const sheet = setting('spreadsheet');
  const tab = setting('tab');
  const header = setting('headerRow');
  const tabsError = tabs.error instanceof ApiError ? tabs.error : undefined;
  const spreadsheetError =
    props.showMissing && sheets.spreadsheet.trim() === ''
      ? t('source.missing.spreadsheet')
      : tabsError && tabsError.status !== 0
        ? tabsError.message
        : undefined;
  const headerNumber = Number(sheets.headerRow);

  return (
    <div className="stack">
      <Field
        label={account.label}
        help={
          <>
            {account.help} {google.length === 0 && !accounts.isPending && <Link to="/accounts">{t('source.sheets.addGoogleAccount')}</Link>}
          </>
        }
      >
        {(f) => (
          <select
            id={f.id}
            value={sheets.accountId}
            aria-describedby={f.describedBy}
            onChange={(e) => set({ accountId: e.target.value, tab: e.target.value ? sheets.tab : '' })}
          >
            <option value="">{t('source.sheets.noAccount')}</option>
            {google.map((a) => (
              <option key={a.id} value={a.id} disabled={a.status !== 'active'}>
                {a.email ? t('source.sheets.accountOption', { name: a.name, email: a.email }) : a.name}
                {a.status !== 'active' ? ` — ${t('common:status.inactive')}` : ''}
              </option>
            ))}
          </select>
        )}
      </Field>

      <TextField
        label={sheet.label}
        help={sheets.accountId ? sheet.help : t('source.sheets.publishedHelp')}
        error={spreadsheetError}
        required
        inputMode="url"
        spellCheck={false}
        placeholder={sheet.example}
        value={sheets.spreadsheet}
        onChange={(v) => set({ spreadsheet: v })}
      />

      <div className="wizard-two">
        {sheets.accountId !== '' && (
          <ListOrTextField
            label={tab.label}
            help={tab.help}
            error={props.showMissing && sheets.tab.trim() === '' ? t('source.missing.tab') : undefined}
            required
            value={sheets.tab}
            onChange={(v) => set({ tab: v })}
            options={tabs.data?.tabs.map((x) => x.title)}
            pick={t('source.sheets.chooseTab')}
            placeholder={tab.example}
          />
        )}
        <TextField
          label={header.label}
          help={header.help}
          error={
            (sheets.headerRow !== '' || props.showMissing) && !(Number.isInteger(headerNumber) && headerNumber >= 1)
              ? t('source.sheets.badHeaderRow')
              : undefined
          }
          type="number"
          min={1}
          step={1}
          inputMode="numeric"
          value={sheets.headerRow}
          onChange={(v) => set({ headerRow: v })}
        />
        <KeyColumnField
          text={setting('keyColumn')}
          value={sheets.keyColumn}
          columns={props.columns}
          onChange={(keyColumn) => set({ keyColumn })}
        />
      </div>

      <FoundColumns columns={props.columns} />
    </div>
  );
}
