import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import type { ImportFileList } from '../../api/types';
import { Alert, ErrorAlert, Field } from '../../components/ui';
import { useFormat } from '../../lib/format';
import { keys } from './queries';

/**
 * A CSV file on the server, chosen from the import folder's files (GET /api/sources/csv/files):
 * the server reads nothing else, so the wizard offers nothing else to type. The folder's path is
 * shown, with a hint to copy files there when it is empty. A saved path that is not in the list
 * (a connection saved before the import folder existed, or a file since removed) is kept and
 * shown as such, never changed silently.
 */
export function ImportFilePicker(props: {
  label: string;
  help: string;
  value: string;
  onChange: (name: string) => void;
  showMissing: boolean;
}) {
  const { t } = useTranslation('wizard');
  const { number, dateTime } = useFormat();
  const list = useQuery({ queryKey: keys.importFiles, queryFn: () => get<ImportFileList>('/api/sources/csv/files') });
  const files = list.data?.files ?? [];
  const listed = files.some((f) => f.name === props.value);
  const size = (bytes: number) =>
    bytes < 1_000_000
      ? t('source.csv.serverFile.kb', { size: number(Math.max(bytes / 1000, 0.1), 1) })
      : t('source.csv.serverFile.mb', { size: number(bytes / 1_000_000, 1) });

  if (list.error) return <ErrorAlert error={list.error} />;
  return (
    <div className="stack">
      {list.data && files.length > 0 && (
        <p className="small">
          {t('source.csv.serverFile.folder')} <code>{list.data.folder}</code>
        </p>
      )}
      {list.data && files.length === 0 ? (
        <Alert kind="info" title={t('source.csv.serverFile.emptyTitle')}>
          {t('source.csv.serverFile.empty', { folder: list.data.folder })}
        </Alert>
      ) : (
        <Field
          label={props.label}
          help={list.data?.truncated ? `${props.help} ${t('source.csv.serverFile.truncated', { count: files.length })}` : props.help}
          error={
            props.showMissing && props.value === ''
              ? t('source.missing.path')
              : props.value !== '' && list.data && !listed
                ? t('source.csv.serverFile.notListed', { name: props.value })
                : undefined
          }
          required
        >
          {(f) => (
            <select
              id={f.id}
              value={props.value}
              aria-describedby={f.describedBy}
              aria-invalid={f.invalid || undefined}
              disabled={list.isPending}
              onChange={(e) => props.onChange(e.target.value)}
            >
              <option value="">{list.isPending ? t('source.csv.serverFile.loading') : t('source.csv.serverFile.choose')}</option>
              {props.value !== '' && list.data && !listed && <option value={props.value}>{props.value}</option>}
              {files.map((file) => (
                <option key={file.name} value={file.name}>
                  {t('source.csv.serverFile.option', { name: file.name, size: size(file.size), modified: dateTime(file.modifiedAt) })}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <div>
        <button type="button" className="button button--small" disabled={list.isFetching} onClick={() => void list.refetch()}>
          {t('source.csv.serverFile.refresh')}
        </button>
      </div>
    </div>
  );
}
