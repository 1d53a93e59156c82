import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalog, PreviewGroup, PreviewLine } from '../../api/types';
import { Badge } from '../../components/ui';
import { useFormat } from '../../lib/format';
import { useCatalogText } from './catalog-text';
import { withoutField } from './problem-text';
import { RequestList } from './RequestList';

/**
 * The preview of an action that gathers rows into invoices: one section per invoice with its
 * customer (found in Stripe, to be created, or not checked), its lines and total, whether it is
 * finalized and sent, why it waits, the invoice it joins, its problems and the exact requests.
 */
export function GroupedPreview(props: { groups: readonly PreviewGroup[]; action: Catalog['actions'][number] }) {
  const { t } = useTranslation('wizard');
  const { number } = useFormat();
  const count = props.groups.length;
  return (
    <div className="wizard-groups">
      <p className="wizard-groups__summary">{t('test.groups.summary', { count, n: number(count) })}</p>
      {props.groups.map((g) => (
        <GroupSection key={g.key} group={g} action={props.action} />
      ))}
    </div>
  );
}

/** Why a customer was not checked, without the server's own "could not check:" (the text says it already). */
const unknownWhy = (note: string | undefined) => (note ? note.replace(/^could not check:\s*/i, '') : '—');

function GroupSection({ group: g, action }: { group: PreviewGroup; action: Catalog['actions'][number] }) {
  const { t } = useTranslation(['wizard', 'runs']);
  const ct = useCatalogText();
  const { money, number } = useFormat();
  const titleId = useId();
  const labelOf = (key: string) => {
    const f = action.fields.find((x) => x.key === key);
    return f ? ct.fieldLabel(action.key, f) : undefined;
  };
  const amountOf = (l: PreviewLine) => {
    if (l.price) return t('test.groups.priced', { quantity: number(l.quantity ?? 1), price: l.price });
    const currency = l.currency ?? g.currency;
    if (l.amount === null) return undefined;
    return currency ? money(l.amount, currency) : number(l.amount);
  };
  const c = g.customer;
  const who = [c.name, c.email].filter(Boolean).join(' · ');
  const existing = g.existing;
  const existingName = existing ? (existing.number ?? existing.invoiceId) : '';
  const existingStatus =
    existing?.status && ['draft', 'open', 'paid', 'void', 'uncollectible'].includes(existing.status)
      ? t(`runs:invoices.status.${existing.status as 'draft'}`)
      : (existing?.status ?? '—');
  return (
    <article
      className={`wizard-group${g.ok ? '' : ' wizard-group--bad'}`}
      aria-labelledby={titleId}
      data-group-key={g.key}
      data-group-ok={g.ok}
    >
      <div className="wizard-group__head">
        <h4 id={titleId} className="wizard-group__title">
          {t('test.groups.invoice', { key: g.key })}
        </h4>
        <p className="wizard-group__badges">
          {g.ok ? <Badge tone="good">{t('test.ready')}</Badge> : <Badge tone="bad">{t('test.notReady')}</Badge>}
          {g.waiting && <Badge tone="warn">{t('test.groups.waitingBadge')}</Badge>}
          {g.finalize || g.send ? (
            <Badge tone="info">{t('test.groups.finalize')}</Badge>
          ) : (
            <Badge tone="neutral">{t('test.groups.draft')}</Badge>
          )}
          {g.send && <Badge tone="info">{t('test.groups.send')}</Badge>}
        </p>
      </div>

      <dl className="wizard-facts wizard-group__customer">
        <dt>{t('test.groups.customer')}</dt>
        <dd>
          {who && <span className="wizard-group__who">{who}</span>}
          {c.key && <span className="muted"> ({t('test.groups.customerKey', { key: c.key })})</span>}
          <span className="wizard-group__outcome" data-customer-outcome={c.outcome}>
            {c.outcome === 'found' ? (
              <Badge tone="good">{c.id ? t('test.groups.found', { id: c.id }) : t('test.groups.foundNoId')}</Badge>
            ) : c.outcome === 'create' ? (
              <Badge tone="info">{t('test.groups.create')}</Badge>
            ) : (
              <span className="wizard-group__unknown">{t('test.groups.unknown', { note: unknownWhy(c.note) })}</span>
            )}
          </span>
        </dd>
      </dl>

      {g.waiting && <p className="wizard-group__waiting">{t('test.groups.waiting', { reason: g.waiting })}</p>}
      {existing && (
        <p className="wizard-group__existing">
          {t('test.groups.existing', {
            invoice: existingName,
            status: existingStatus,
            lines: t('test.groups.existingLines', { count: existing.lines, n: number(existing.lines) }),
          })}
        </p>
      )}
      {g.errors.length > 0 && (
        <div className="wizard-group__errors">
          <p className="wizard-group__errors-title">{t('test.groups.errorsTitle')}</p>
          <ul className="wizard-preview__errors">
            {g.errors.map((e, i) => {
              const label = labelOf(e.field);
              return (
                <li key={i}>
                  {label && <strong>{label}: </strong>}
                  {withoutField(e.field, e.message)}
                </li>
              );
            })}
          </ul>
        </div>
      )}

      {g.lines.length > 0 && (
        <div className="table-wrap">
          <table className="wizard-lines">
            <caption className="wizard-caption">{t('test.groups.linesCaption', { key: g.key })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('test.row')}</th>
                <th scope="col">{t('test.groups.description')}</th>
                <th scope="col" className="num">
                  {t('test.groups.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {g.lines.map((l, i) => {
                const amount = amountOf(l);
                return (
                  <tr key={`${l.rowKey}-${i}`}>
                    <th scope="row">{l.line !== null ? t('test.line', { line: l.line }) : t('test.sampleRow', { n: i + 1 })}</th>
                    <td>{l.description ?? <span className="muted">—</span>}</td>
                    <td className="num">{amount ?? <span className="muted">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  {t('test.groups.total')}
                </th>
                <td className="num wizard-lines__total">
                  {g.total !== null ? (
                    g.currency ? (
                      money(g.total, g.currency)
                    ) : (
                      number(g.total)
                    )
                  ) : g.lines.some((l) => l.price) ? (
                    <span className="muted">{t('test.groups.totalUnknown')}</span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}

      {g.requests.length > 0 && (
        <details>
          <summary>{t('test.groups.requests', { count: g.requests.length, key: g.key })}</summary>
          <RequestList requests={g.requests} />
        </details>
      )}
    </article>
  );
}
