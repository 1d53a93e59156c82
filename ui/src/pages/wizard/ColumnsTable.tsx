import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import type { SourceFields } from '../../api/types';
import { Alert, ErrorAlert, Spinner } from '../../components/ui';
import type { useSourceColumns } from './source-columns';

/** The columns a source has, each with a few sample values, as read just now. */
export function ColumnsTable(props: { columns: SourceFields['columns']; pending: boolean; error: unknown; emptyText?: string }) {
  const { t } = useTranslation('wizard');
  if (props.error) {
    // A source that cannot be read says why in the server's words (a 404 of the URL, a sheet not shared).
    return props.error instanceof ApiError && props.error.status !== 0 ? (
      <Alert kind="error" title={t('columns.unreadable')}>
        <p>{props.error.message}</p>
      </Alert>
    ) : (
      <ErrorAlert error={props.error} />
    );
  }
  if (props.pending) return <Spinner label={t('columns.reading')} />;
  if (props.columns.length === 0) return <p className="muted">{props.emptyText ?? t('columns.none')}</p>;
  return (
    <div className="table-wrap wizard-columns">
      <table>
        <caption className="wizard-caption">{t('columns.found', { count: props.columns.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('columns.column')}</th>
            <th scope="col">{t('columns.samples')}</th>
          </tr>
        </thead>
        <tbody>
          {props.columns.map((c) => (
            <tr key={c.name}>
              <th scope="row" className="wizard-columns__name">
                {c.name}
              </th>
              <td>
                {c.samples.length === 0 ? (
                  <span className="muted">{t('columns.noSamples')}</span>
                ) : (
                  <ul className="wizard-samples">
                    {c.samples.map((s, i) => (
                      <li key={i}>{s}</li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "Columns found" and the table, for a source read through POST /api/sources/fields. */
export function FoundColumns(props: { columns: ReturnType<typeof useSourceColumns> }) {
  const { t } = useTranslation('wizard');
  return (
    <>
      <h3>{t('columns.title')}</h3>
      <ColumnsTable
        columns={props.columns.columns}
        pending={props.columns.pending}
        error={props.columns.query.error}
        emptyText={t('columns.waitingForSource')}
      />
    </>
  );
}
