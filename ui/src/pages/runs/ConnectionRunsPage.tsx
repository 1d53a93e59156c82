import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert, PageHeader, Spinner } from '../../components/ui';
import { useFormat } from '../../lib/format';
import { useConnection } from '../dashboard/queries';
import { RunNowButton } from './RunNowButton';
import { RunStatusBadge } from './RunStatusBadge';
import { isLive, useConnectionRuns } from './queries';
import { useDuration } from './use-duration';
import { useNow } from './use-now';
import { useTriggerLabel } from './trigger';
import { useShortTime } from './use-short-time';

/** A connection's latest runs, newest first; each opens its rows. Refreshed every second while a run is live. */
/** The row counts each run shows, in this order. */
const COUNTED = ['sent', 'failed', 'skipped', 'pending'] as const;

export function ConnectionRunsPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation(['runs', 'dashboard', 'common']);
  const { dateTime, number } = useFormat();
  const short = useShortTime();
  const duration = useDuration();
  const trigger = useTriggerLabel();
  const connection = useConnection(id);
  const runs = useConnectionRuns(id);
  const anyLive = runs.data?.some((r) => isLive(r.status)) ?? false;
  const now = useNow(anyLive ? 1000 : 60_000);
  const name = connection.data?.name;

  return (
    <section>
      <p className="breadcrumb">
        <Link to="/">{t('history.back')}</Link>
      </p>
      <PageHeader
        title={name ? t('history.title', { name }) : t('history.titleUnknown')}
        actions={
          connection.data && (
            <>
              <RunNowButton connection={connection.data} />
              <Link
                to={`/connections/${id}/edit?step=schedule`}
                className="button"
                aria-label={t('dashboard:connection.schedule', { name: connection.data.name })}
              >
                {t('dashboard:connection.scheduleText')}
              </Link>
              <Link
                to={`/connections/${id}/edit`}
                className="button"
                aria-label={t('dashboard:connection.edit', { name: connection.data.name })}
              >
                {t('common:actions.edit')}
              </Link>
            </>
          )
        }
      >
        <p className="muted">{t('history.intro')}</p>
      </PageHeader>
      <ErrorAlert error={connection.error ?? (runs.data ? null : runs.error)} />
      {runs.isPending ? (
        <Spinner />
      ) : runs.data && runs.data.length === 0 ? (
        <div className="card empty">
          <p>{t('history.empty')}</p>
        </div>
      ) : runs.data ? (
        <div className="table-wrap">
          <table className="runs-table">
            <caption className="visually-hidden">{t('history.caption', { name: name ?? id })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('history.columns.started')}</th>
                <th scope="col">{t('history.columns.status')}</th>
                <th scope="col">{t('history.columns.trigger')}</th>
                <th scope="col">{t('history.columns.scheduledFor')}</th>
                <th scope="col">{t('history.columns.finished')}</th>
                <th scope="col" className="num">
                  {t('history.columns.duration')}
                </th>
                {COUNTED.map((status) => (
                  <th key={status} scope="col" className="num">
                    {t(`rowStatus.${status}`)}
                  </th>
                ))}
                <th scope="col">{t('history.columns.error')}</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((r) => (
                <tr key={r.id} data-run-id={r.id} data-run-status={r.status}>
                  <th scope="row">
                    <Link to={`/runs/${r.id}`} title={dateTime(r.startedAt ?? r.createdAt)}>
                      {short(r.startedAt ?? r.createdAt)}
                    </Link>
                  </th>
                  <td>
                    <RunStatusBadge status={r.status} />
                  </td>
                  <td>{trigger(r.trigger)}</td>
                  <td>{short(r.scheduledFor)}</td>
                  <td title={r.finishedAt ? dateTime(r.finishedAt) : undefined}>{short(r.finishedAt, r.startedAt)}</td>
                  <td className="num">
                    {duration(r.startedAt, r.finishedAt, now) ?? '—'}
                    {isLive(r.status) && r.startedAt && <span className="muted"> ({t('duration.running')})</span>}
                  </td>
                  {COUNTED.map((status) => (
                    <td key={status} className={`num${status === 'failed' && r.counts.failed ? ' is-bad' : ''}`}>
                      {number(r.counts[status])}
                    </td>
                  ))}
                  <td className="runs-table__error">{r.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
