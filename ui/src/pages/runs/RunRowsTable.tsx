import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunRow } from '../../api/types';
import { useFormat } from '../../lib/format';
import { RowStatusBadge } from './RunStatusBadge';

/** Row keys are a key column's value or a 64-character content hash: long ones are cut, the whole key is the tooltip. */
const shortKey = (key: string) => (key.length > 18 ? `${key.slice(0, 14)}…` : key);

/**
 * A run's rows: each with its line, key, state, and the Stripe object it made (linked to the
 * Dashboard) or its error. A row that failed and is failed still gets "Retry" when `onRetry` is
 * given; one that failed here but was retried or sent since says so instead. A row's note says what
 * it did other than create (a customer found rather than made); rows of a grouped action (`grouped`)
 * also show the invoice key that gathered them.
 */
export function RunRowsTable(props: {
  rows: RunRow[];
  onRetry?: ((row: RunRow) => void) | undefined;
  retrying?: boolean;
  grouped?: boolean;
}) {
  const { rows, onRetry } = props;
  const { t } = useTranslation('runs');
  const { dateTime, number } = useFormat();
  const newTabId = useId();
  return (
    <div className="table-wrap">
      <span id={newTabId} hidden>
        {t('rows.opensInNewTab')}
      </span>
      <table className="rows-table">
        <caption className="visually-hidden">{t('rows.caption')}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('rows.columns.line')}
            </th>
            <th scope="col">{t('rows.columns.rowKey')}</th>
            {props.grouped && <th scope="col">{t('rows.columns.invoiceKey')}</th>}
            <th scope="col">{t('rows.columns.status')}</th>
            <th scope="col">{t('rows.columns.result')}</th>
            <th scope="col">{t('rows.columns.updated')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.rowKey} data-row-status={r.status} data-row-key={r.rowKey}>
              <td className="num">{r.line === null ? '—' : number(r.line)}</td>
              <th scope="row" className="rows-table__key">
                <code title={r.rowKey}>{shortKey(r.rowKey)}</code>
              </th>
              {props.grouped && (
                <td className="rows-table__invoice-key">{r.invoiceKey ? <code>{r.invoiceKey}</code> : <span className="muted">—</span>}</td>
              )}
              <td>
                <RowStatusBadge status={r.status} />
              </td>
              <td className="rows-table__result">
                {r.stripeId &&
                  (r.dashboardUrl ? (
                    <a href={r.dashboardUrl} target="_blank" rel="noreferrer" className="mono" aria-describedby={newTabId}>
                      {r.stripeId}
                    </a>
                  ) : (
                    <code title={t('rows.noLink')}>{r.stripeId}</code>
                  ))}
                {r.error && <p className="rows-table__error">{r.error}</p>}
                {r.note && <p className="small muted rows-table__note">{r.note}</p>}
                {!r.stripeId && !r.error && !r.note && <span className="muted">—</span>}
                {r.status === 'failed' &&
                  (r.currentStatus === 'failed' ? (
                    onRetry && (
                      <button
                        type="button"
                        className="button button--small rows-table__retry"
                        aria-label={
                          r.line === null ? t('rows.retryRowKey', { key: r.rowKey }) : t('rows.retryRow', { line: number(r.line) })
                        }
                        onClick={() => onRetry(r)}
                        disabled={props.retrying}
                      >
                        {t('rows.retry')}
                      </button>
                    )
                  ) : r.currentStatus === 'sent' || r.currentStatus === 'pending' ? (
                    <p className="small muted rows-table__since">{t(`rows.since.${r.currentStatus}`)}</p>
                  ) : null)}
              </td>
              <td className="nowrap">{dateTime(r.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
