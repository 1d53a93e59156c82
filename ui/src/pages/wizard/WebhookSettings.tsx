import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui';
import { ColumnsTable } from './ColumnsTable';
import { isHttpUrl, useSettingText } from './setting-text';
import type { StepProps } from './step-props';
import type { useSourceColumns } from './source-columns';
import { WebhookPanel } from './WebhookPanel';
import { TextField } from './TextField';

/** A web form: its thank-you page, the field names its form sends, and once saved its address and a ready form. */
export function WebhookSettings(props: StepProps & { columns: ReturnType<typeof useSourceColumns> }) {
  const { t } = useTranslation('wizard');
  const setting = useSettingText(props.catalog, 'webhook');
  const thanks = setting('thankYouUrl');
  const { thankYouUrl, fields } = props.draft.webhook;
  const [adding, setAdding] = useState('');
  const setFields = (next: string[]) => props.update((d) => ({ ...d, webhook: { ...d.webhook, fields: next } }));
  const add = () => {
    const name = adding.trim();
    if (name !== '' && !fields.includes(name)) setFields([...fields, name]);
    setAdding('');
  };
  const hookUrl = props.connection?.source.type === 'webhook' ? props.connection.hookUrl : undefined;
  const duplicate = adding.trim() !== '' && fields.includes(adding.trim());

  return (
    <div className="stack">
      {hookUrl ? (
        <WebhookPanel hookUrl={hookUrl} draft={props.draft} catalog={props.catalog} />
      ) : (
        <Alert kind="info">{t('webhook.urlLater')}</Alert>
      )}

      <TextField
        label={thanks.label}
        help={thanks.help}
        error={thankYouUrl.trim() !== '' && !isHttpUrl(thankYouUrl) ? t('source.csv.badUrl') : undefined}
        type="url"
        inputMode="url"
        placeholder={thanks.example}
        value={thankYouUrl}
        onChange={(v) => props.update((d) => ({ ...d, webhook: { ...d.webhook, thankYouUrl: v } }))}
      />

      <fieldset>
        <legend>{t('webhook.fieldsTitle')}</legend>
        <p className="small muted">{t('webhook.fieldsHelp')}</p>
        {fields.length > 0 && (
          <ul className="wizard-chips">
            {fields.map((name) => (
              <li key={name} className="wizard-chip">
                <span>{name}</span>
                <button
                  type="button"
                  className="button button--ghost button--small"
                  aria-label={t('webhook.removeField', { name })}
                  onClick={() => setFields(fields.filter((f) => f !== name))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="wizard-add">
          <TextField
            label={t('webhook.newField')}
            error={duplicate ? t('webhook.duplicateField', { name: adding.trim() }) : undefined}
            placeholder={t('webhook.newFieldExample')}
            value={adding}
            onChange={setAdding}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
          <button type="button" className="button" onClick={add} disabled={adding.trim() === '' || duplicate}>
            {t('webhook.addField')}
          </button>
        </div>
      </fieldset>

      {props.connection && (
        <>
          <h3>{t('webhook.receivedTitle')}</h3>
          <ColumnsTable
            columns={props.columns.query.data?.columns ?? []}
            pending={props.columns.pending}
            error={props.columns.query.error}
            emptyText={t('webhook.nothingReceived')}
          />
        </>
      )}
    </div>
  );
}
