import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalog } from '../../api/types';
import { CopyButton } from '../../components/CopyButton';
import { mappingOf, type Draft } from './draft';
import { formInputs, formSnippet } from './form-snippet';

/** A saved web form's address and a form to paste into a landing page, both with a Copy button. */
export function WebhookPanel(props: { hookUrl: string; draft: Draft; catalog: Catalog }) {
  const { t } = useTranslation('wizard');
  const id = useId();
  const action = props.catalog.actions.find((a) => a.key === props.draft.action);
  const fields = action?.fields ?? [];
  const inputs = formInputs(mappingOf(props.draft, fields), fields, props.draft.webhook.fields);
  const snippet = formSnippet(props.hookUrl, inputs, t('webhook.submit'));
  return (
    <div className="card wizard-hook">
      <h3 className="card__title" id={`${id}-url`}>
        {t('webhook.urlTitle')}
      </h3>
      <div className="wizard-hook__url">
        <code aria-labelledby={`${id}-url`}>{props.hookUrl}</code>
        <CopyButton text={props.hookUrl} label={t('webhook.copyUrl')} />
      </div>
      <p className="small muted">{t('webhook.urlHelp')}</p>
      <h3 id={`${id}-snippet`}>{t('webhook.snippetTitle')}</h3>
      <p className="small muted">{t('webhook.snippetHelp')}</p>
      <pre aria-labelledby={`${id}-snippet`} className="wizard-code">
        {snippet}
      </pre>
      <CopyButton text={snippet} label={t('webhook.copySnippet')} />
    </div>
  );
}
