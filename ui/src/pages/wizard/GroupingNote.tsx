import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalog } from '../../api/types';
import { useFormat } from '../../lib/format';
import { useCatalogText } from './catalog-text';

/** Stripe's limit on the lines of one invoice. */
export const MAX_INVOICE_LINES = 250;

/** The field that holds off a group until one of its rows says yes. */
const READY_FIELD = 'ready';

/**
 * For an action that gathers rows (`grouped`): how the rows become invoices, in plain words, with
 * the fields named as the mapping step shows them.
 */
export function GroupingNote(props: { action: Catalog['actions'][number] & { grouped: { by: string } } }) {
  const { t } = useTranslation('wizard');
  const ct = useCatalogText();
  const { number } = useFormat();
  const { action } = props;
  const labelOf = (key: string) => {
    const f = action.fields.find((x) => x.key === key);
    return f ? ct.fieldLabel(action.key, f) : key;
  };
  const hasReady = action.fields.some((f) => f.key === READY_FIELD);
  const titleId = useId();
  return (
    <section className="card wizard-grouping" aria-labelledby={titleId} data-grouped-by={action.grouped.by}>
      <h3 className="card__title" id={titleId}>
        {t('action.grouped.title')}
      </h3>
      <ul className="wizard-grouping__points">
        <li>{t('action.grouped.sameKey', { key: labelOf(action.grouped.by) })}</li>
        <li>{t('action.grouped.customer')}</li>
        <li>{t('action.grouped.finish')}</li>
        <li>{t('action.grouped.limit', { max: number(MAX_INVOICE_LINES) })}</li>
        <li>{t('action.grouped.later')}</li>
        {hasReady && <li>{t('action.grouped.ready', { ready: labelOf(READY_FIELD) })}</li>}
        <li>{t('action.grouped.closed')}</li>
      </ul>
    </section>
  );
}

/** The action, narrowed to one that gathers rows. */
export const isGrouped = (a: Catalog['actions'][number] | undefined): a is Catalog['actions'][number] & { grouped: { by: string } } =>
  a?.grouped !== undefined;
