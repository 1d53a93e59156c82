import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import type { Connection, Preview, TestSendResult } from '../../api/types';
import { Alert, ErrorAlert, Spinner } from '../../components/ui';
import { mappingOf } from './draft';
import { formInputs } from './form-snippet';
import { GroupedPreview } from './GroupedPreview';
import { isGrouped } from './GroupingNote';
import { PreviewTable } from './PreviewTable';
import { keys, useAccounts } from './queries';
import { SampleRow } from './SampleRow';
import type { StepProps } from './step-props';
import { NextButton, StepSection, WizardNav } from './StepSection';
import { TestResult } from './TestResult';
import { UnsavedAlert } from './UnsavedAlert';
import { useDebounced } from './use-debounced';
import { WebhookPanel } from './WebhookPanel';

/** The first rows previewed; for an action that gathers rows, the first invoices (each with all its rows). */
const PREVIEW_ROWS = 5;
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Step 5: the preview of the first rows as a run would send them (nothing is written anywhere),
 * then one record sent to Stripe for real, with Stripe's answer. A web form that has received
 * nothing yet is tried with a row typed here.
 */
export function TestStep(props: StepProps & { connection: Connection }) {
  const { t } = useTranslation(['wizard', 'common']);
  const { connection, draft, catalog } = props;
  const action = catalog.actions.find((a) => a.key === connection.action);
  const grouped = isGrouped(action);
  const isWebhook = connection.source.type === 'webhook';
  const accounts = useAccounts();
  const account = accounts.data?.find((a) => a.id === connection.accountId);

  const [sample, setSample] = useState<Record<string, string>>({});
  const [useSample, setUseSample] = useState(false);
  const typed = useDebounced(sample, 400, sameJson);
  const given = useSample ? [typed] : undefined;
  const preview = useQuery({
    queryKey: keys.preview(connection.id, { updatedAt: connection.updatedAt, rows: given }),
    queryFn: () =>
      post<Preview>(`/api/connections/${connection.id}/preview`, {
        limit: PREVIEW_ROWS,
        ...(given && { rows: given }),
      }),
    refetchOnWindowFocus: false,
    retry: false,
  });
  const test = useMutation({
    mutationFn: () => post<TestSendResult>(`/api/connections/${connection.id}/test`, useSample ? { row: sample } : {}),
  });

  if (!action) return null;
  const noRows = preview.isSuccess && preview.data.rows.length === 0 && !useSample;
  const sampleColumns = formInputs(mappingOf(draft, action.fields), action.fields, draft.webhook.fields).map((i) => i.name);
  const actionName = connection.action.replace(/^stripe\./, '') as
    'create_customer' | 'create_invoice_item' | 'create_invoice' | 'create_invoice_from_rows';
  const groups = preview.data?.groups;

  return (
    <StepSection step="test" intro={t('test.intro')}>
      <UnsavedAlert {...props} />
      {isWebhook && connection.hookUrl && <WebhookPanel hookUrl={connection.hookUrl} draft={draft} catalog={catalog} />}

      <div className="card">
        <div className="row row--between">
          <h3 className="card__title">{t('test.previewTitle')}</h3>
          <button type="button" className="button button--small" onClick={() => props.go('mapping')}>
            {t('common:actions.edit')}
          </button>
        </div>
        <p className="small muted">{t(grouped ? 'test.previewHelpGrouped' : 'test.previewHelp')}</p>
        {isWebhook && (noRows || useSample) && (
          <>
            <SampleRow columns={sampleColumns} value={sample} onChange={setSample} />
            {useSample ? (
              <button type="button" className="button button--small" onClick={() => setUseSample(false)}>
                {t('test.useReceived')}
              </button>
            ) : (
              <button type="button" className="button" onClick={() => setUseSample(true)}>
                {t('test.previewSample')}
              </button>
            )}
          </>
        )}
        {isWebhook && !noRows && !useSample && preview.isSuccess && (
          <button type="button" className="button button--small" onClick={() => setUseSample(true)}>
            {t('test.typeSample')}
          </button>
        )}
        {preview.isPending && <Spinner label={t('test.previewing')} />}
        <ErrorAlert error={preview.error} />
        {noRows && <p className="muted">{t(isWebhook ? 'test.noRowsForm' : grouped ? 'test.noRowsGrouped' : 'test.noRows')}</p>}
        {preview.isSuccess && groups && groups.length > 0 && <GroupedPreview groups={groups} action={action} />}
        {preview.isSuccess && preview.data.rows.length > 0 && (
          <PreviewTable
            rows={preview.data.rows}
            action={action}
            caption={groups ? t('test.linesCaption', { count: preview.data.rows.length }) : undefined}
          />
        )}
      </div>

      <div className="card">
        <h3 className="card__title">{t('test.sendTitle')}</h3>
        <p>{t(`test.what.${actionName}`)}</p>
        {account?.mode === 'live' && <Alert kind="warning">{t('test.liveWarning', { name: account.name })}</Alert>}
        <button
          type="button"
          className="button button--primary"
          onClick={() => test.mutate()}
          disabled={test.isPending || noRows}
          aria-busy={test.isPending || undefined}
        >
          {test.isPending ? t('test.sending') : t('test.send')}
        </button>
        <div aria-live="polite">
          <TestResult result={test.data} error={test.error} action={action} />
        </div>
      </div>

      <WizardNav onBack={() => props.go('mapping')}>
        <NextButton onClick={() => props.go('schedule')} />
      </WizardNav>
    </StepSection>
  );
}
