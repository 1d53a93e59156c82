import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunInvoice } from '../../api/types';
import { Badge } from '../../components/ui';
import { useFormat } from '../../lib/format';

type Tone = Parameters<typeof Badge>[0]['tone'];

/** Stripe's invoice statuses, each in words and a tone (never by colour alone). */
const STATUS_TONE = { draft: 'neutral', open: 'info', paid: 'good', void: 'neutral', uncollectible: 'bad' } as const satisfies Record<
  string,
  Tone
>;
type InvoiceStatus = keyof typeof STATUS_TONE;
const isKnownStatus = (s: string | null): s is InvoiceStatus => s !== null && Object.hasOwn(STATUS_TONE, s);

/**
 * The invoices a run of a grouped action made or added lines to: each with its key, its number (or
 * "Draft" until it is finalized) and Stripe's status, its total and the lines Sluice added, the
 * customer's payment page and the Dashboard, and why it is not finished when it is not. Three
 * columns (the links and the error under the invoice), so that it fits a phone.
 */
export function RunInvoices(props: { invoices: readonly RunInvoice[] }) {
  const { t } = useTranslation('runs');
  const { money, number } = useFormat();
  const headingId = useId();
  const newTabId = useId();
  return (
    <section className="run-invoices" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('invoices.title')}</h2>
      {props.invoices.length === 0 ? (
        <p className="muted">{t('invoices.empty')}</p>
      ) : (
        <>
          <p className="small muted">{t('invoices.intro')}</p>
          <span id={newTabId} hidden>
            {t('rows.opensInNewTab')}
          </span>
          <div className="table-wrap">
            <table className="invoices-table">
              <caption className="visually-hidden">{t('invoices.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('invoices.columns.key')}</th>
                  <th scope="col">{t('invoices.columns.invoice')}</th>
                  <th scope="col" className="num">
                    {t('invoices.columns.total')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {props.invoices.map((inv) => (
                  <tr
                    key={inv.key}
                    data-invoice-key={inv.key}
                    data-invoice-status={inv.status ?? 'none'}
                    className={inv.error ? 'invoices-table__bad' : undefined}
                  >
                    <th scope="row" className="invoices-table__key">
                      <code>{inv.key}</code>
                    </th>
                    <td className="invoices-table__invoice">
                      <p className="invoices-table__number">
                        {inv.number ? (
                          <span className="mono">{inv.number}</span>
                        ) : !inv.invoiceId ? (
                          <span className="muted">{t('invoices.notMade')}</span>
                        ) : (
                          // Without a number it is a draft: the status says so, or this does when Stripe's status is unknown.
                          !inv.status && <span className="muted">{t('invoices.draft')}</span>
                        )}
                        {isKnownStatus(inv.status) ? (
                          <Badge tone={STATUS_TONE[inv.status]}>{t(`invoices.status.${inv.status}`)}</Badge>
                        ) : (
                          inv.status && <Badge tone="neutral">{inv.status}</Badge>
                        )}
                      </p>
                      {(inv.hostedInvoiceUrl || inv.dashboardUrl) && (
                        <p className="invoices-table__links">
                          {inv.hostedInvoiceUrl && (
                            <a
                              href={inv.hostedInvoiceUrl}
                              target="_blank"
                              rel="noreferrer"
                              aria-label={t('invoices.paymentPageOf', { key: inv.key })}
                            >
                              {t('invoices.paymentPage')}
                            </a>
                          )}
                          {inv.dashboardUrl && (
                            <a
                              href={inv.dashboardUrl}
                              target="_blank"
                              rel="noreferrer"
                              aria-label={t('invoices.dashboardOf', { key: inv.key })}
                              aria-describedby={newTabId}
                            >
                              {t('invoices.dashboard')}
                            </a>
                          )}
                        </p>
                      )}
                      {inv.error && <p className="invoices-table__error">{inv.error}</p>}
                    </td>
                    <td className="num">
                      <span className="nowrap">
                        {inv.total === null ? '—' : inv.currency ? money(inv.total, inv.currency) : number(inv.total)}
                      </span>
                      <span className="invoices-table__lines">{t('invoices.lines', { count: inv.lines, n: number(inv.lines) })}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
