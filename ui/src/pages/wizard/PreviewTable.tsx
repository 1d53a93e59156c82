import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalog, PreviewRow } from '../../api/types';
import { Badge } from '../../components/ui';
import { useCatalogText } from './catalog-text';
import { withoutField } from './problem-text';
import { RequestList } from './RequestList';

/** What the ledger already says of a previewed row (the server sends `{status, stripeId}`). */
type Ledger = { status: string; stripeId: string | null };

/**
 * The first rows as a run would send them: the mapped value of each Stripe field, whether the row
 * is ready, its problems field by field, and the exact requests under each row (for an action that
 * gathers rows, its groups hold the requests: `caption` then says what the rows are).
 */
export function PreviewTable(props: { rows: readonly PreviewRow[]; action: Catalog['actions'][number]; caption?: string }) {
  const { t } = useTranslation('wizard');
  const ct = useCatalogText();
  const used = new Set(props.rows.flatMap((r) => [...Object.keys(r.values), ...r.errors.map((e) => e.field)]));
  const fields = props.action.fields.filter((f) => f.type !== 'metadata' && used.has(f.key));
  const metadata = [...used].filter((k) => k.startsWith('metadata.')).sort();
  const metadataField = props.action.fields.find((f) => f.type === 'metadata');
  const metadataLabel = metadataField ? ct.fieldLabel(props.action.key, metadataField) : 'metadata';
  const columns = [
    ...fields.map((f) => ({ key: f.key, label: ct.fieldLabel(props.action.key, f) })),
    ...metadata.map((k) => ({ key: k, label: `${metadataLabel}: ${k.slice('metadata.'.length)}` })),
  ];
  const labelOf = (key: string) => columns.find((c) => c.key === key)?.label ?? key;
  const span = columns.length + 2;
  return (
    <div className="table-wrap wizard-preview">
      <table>
        <caption className="wizard-caption">{props.caption ?? t('test.previewCaption', { count: props.rows.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('test.row')}</th>
            <th scope="col">{t('test.status')}</th>
            {columns.map((c) => (
              <th key={c.key} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row, i) => {
            const ledger = row.ledger as unknown as Ledger | undefined;
            const errorOf = (key: string) => row.errors.filter((e) => e.field === key);
            const rowName = row.line != null ? t('test.line', { line: row.line }) : t('test.sampleRow', { n: i + 1 });
            return (
              <Fragment key={row.rowKey}>
                <tr className={row.ok ? undefined : 'wizard-preview__bad'}>
                  <th scope="row">{rowName}</th>
                  <td>
                    {row.ok ? <Badge tone="good">{t('test.ready')}</Badge> : <Badge tone="bad">{t('test.notReady')}</Badge>}
                    {ledger?.status === 'sent' && (
                      <>
                        {' '}
                        <Badge tone="neutral">{t('test.alreadySent')}</Badge>
                      </>
                    )}
                  </td>
                  {columns.map((c) => {
                    const value = row.values[c.key];
                    const errors = errorOf(c.key);
                    return (
                      <td key={c.key} className={errors.length ? 'wizard-preview__cell--bad' : undefined}>
                        {value === undefined || value === '' ? <span className="muted">—</span> : String(value)}
                      </td>
                    );
                  })}
                </tr>
                {(row.note || row.errors.length > 0 || row.requests.length > 0) && (
                  <tr className="wizard-preview__detail">
                    <td colSpan={span}>
                      {row.note && <p className="small muted wizard-preview__note">{row.note}</p>}
                      {row.errors.length > 0 && (
                        <ul className="wizard-preview__errors">
                          {row.errors.map((e, j) => (
                            <li key={j}>
                              <strong>{labelOf(e.field)}:</strong> {withoutField(e.field, e.message)}
                            </li>
                          ))}
                        </ul>
                      )}
                      {row.requests.length > 0 && (
                        <details>
                          <summary>{t('test.requests', { count: row.requests.length, row: rowName })}</summary>
                          <RequestList requests={row.requests} />
                        </details>
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
