import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, post } from '../../api/client';
import type { RowStatus, RunRow } from '../../api/types';
import { Alert, ErrorAlert, PageHeader, Spinner } from '../../components/ui';
import { useFormat } from '../../lib/format';
import { useConnection } from '../dashboard/queries';
import { RunCounts } from './RunCounts';
import { RunInvoices } from './RunInvoices';
import { RunProgress } from './RunProgress';
import { useRowsPerSecond } from './RunPace';
import { RunRowsTable } from './RunRowsTable';
import { RunStatusBadge } from './RunStatusBadge';
import { isLive, runKeys, useRunRows, useRunSummary } from './queries';
import { useDuration } from './use-duration';
import { useNow } from './use-now';
import { useTriggerLabel } from './trigger';

const FILTERS = ['all', 'failed', 'sent', 'skipped', 'pending'] as const;
type Filter = (typeof FILTERS)[number];

/** Set by "Retry failed" and a row's "Retry" on the run they start, so the new run's page says what it is doing. */
interface RetryState {
  retried?: number;
}

/** One run: what started it, how it went, and every row with its Stripe object or its error. */
export function RunPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation(['runs', 'common']);
  const { dateTime, number } = useFormat();
  const duration = useDuration();
  const trigger = useTriggerLabel();
  const rowsPerSecond = useRowsPerSecond();
  const navigate = useNavigate();
  const location = useLocation();
  const client = useQueryClient();
  // The filter belongs to the run shown: a retry opens its new run with all its rows.
  const [filterOf, setFilterOf] = useState<{ runId: string; filter: Filter }>({ runId: id, filter: 'all' });
  const filter = filterOf.runId === id ? filterOf.filter : 'all';
  const setFilter = (f: Filter) => setFilterOf({ runId: id, filter: f });

  const summary = useRunSummary(id);
  const run = summary.data;
  const live = isLive(run?.status);
  const now = useNow(live ? 1000 : 60_000);
  const connection = useConnection(run?.connectionId);
  const rows = useRunRows(id, filter);
  const shown = rows.data?.pages.flatMap((p) => p.rows) ?? [];

  const followRetry = ({ runId, rows: count }: { runId: string; rows: number }) => {
    void client.invalidateQueries({ queryKey: runKeys.all });
    navigate(`/runs/${runId}`, { state: { retried: count } satisfies RetryState });
  };
  const retry = useMutation({
    mutationFn: () => post<{ runId: string; rows: number }>(`/api/runs/${id}/retry-failed`),
    onSuccess: followRetry,
  });
  const retryRow = useMutation({
    mutationFn: (row: RunRow) => post<{ runId: string; rows: number }>(`/api/runs/${id}/rows/retry`, { rowKeys: [row.rowKey] }),
    onSuccess: followRetry,
  });

  const retried = (location.state as RetryState | null)?.retried;
  const name = connection.data?.name;

  if (summary.error && !run) {
    return (
      <section>
        <p className="breadcrumb">
          <Link to="/">{t('history.back')}</Link>
        </p>
        <h1>{t('run.titleUnknown')}</h1>
        {summary.error instanceof ApiError && summary.error.status === 404 ? (
          <Alert kind="error">{t('run.notFound')}</Alert>
        ) : (
          <ErrorAlert error={summary.error} />
        )}
      </section>
    );
  }
  if (!run) return <Spinner />;

  const count = (f: Filter) =>
    f === 'all' ? run.counts.sent + run.counts.failed + run.counts.skipped + run.counts.pending : run.counts[f];
  const canRetry = run.counts.failed > 0 && !live;

  return (
    <section>
      <p className="breadcrumb">
        <Link to="/">{t('history.back')}</Link>
        <span aria-hidden="true"> / </span>
        <Link to={`/connections/${run.connectionId}/runs`}>{name ? t('run.backToRuns', { name }) : t('history.titleUnknown')}</Link>
      </p>
      <PageHeader
        title={name ? t('run.title', { name }) : t('run.titleUnknown')}
        actions={
          canRetry && (
            <button type="button" className="button button--primary" onClick={() => retry.mutate()} disabled={retry.isPending}>
              {retry.isPending ? t('run.retrying') : t('run.retryFailed')}
            </button>
          )
        }
      >
        <p className="row row--tight">
          <RunStatusBadge status={run.status} />
          <span className="muted">{trigger(run.trigger)}</span>
        </p>
      </PageHeader>

      {retried !== undefined && run.trigger === 'retry' && (
        <Alert kind="info">{t('run.retryStarted', { count: retried, n: number(retried) })}</Alert>
      )}
      {retry.error && <ErrorAlert error={retry.error} />}
      {retryRow.error && <ErrorAlert error={retryRow.error} />}
      {canRetry && <p className="small muted">{t('run.retryHelp', { count: run.counts.failed, n: number(run.counts.failed) })}</p>}

      <div className="card run-summary">
        {live && <RunProgress status={run.status} counts={run.counts} pace={run.pace} />}
        <RunCounts counts={run.counts} />
        <dl className="facts" aria-label={t('run.facts')}>
          <div>
            <dt>{t('run.trigger')}</dt>
            <dd>{trigger(run.trigger)}</dd>
          </div>
          <div>
            <dt>{t('run.created')}</dt>
            <dd>{dateTime(run.createdAt)}</dd>
          </div>
          {run.scheduledFor && (
            <div>
              <dt>{t('run.scheduledFor')}</dt>
              <dd>{dateTime(run.scheduledFor)}</dd>
            </div>
          )}
          <div>
            <dt>{t('run.started')}</dt>
            <dd>{run.startedAt ? dateTime(run.startedAt) : t('run.notYet')}</dd>
          </div>
          <div>
            <dt>{t('run.finished')}</dt>
            <dd>{run.finishedAt ? dateTime(run.finishedAt) : t('run.notYet')}</dd>
          </div>
          <div>
            <dt>{t('run.duration')}</dt>
            <dd>
              {duration(run.startedAt, run.finishedAt, now) ?? '—'}
              {live && run.startedAt && <span className="muted"> ({t('duration.running')})</span>}
            </dd>
          </div>
          {typeof run.averageRowsPerSecond === 'number' && (
            <div>
              <dt>{t('run.averagePace')}</dt>
              <dd>{rowsPerSecond(run.averageRowsPerSecond)}</dd>
            </div>
          )}
        </dl>
      </div>

      {run.error && (
        <Alert kind="error" title={t('run.error')}>
          <p>{run.error}</p>
        </Alert>
      )}
      {run.warnings.length > 0 && (
        <Alert kind="warning" title={t('run.warnings', { count: run.warnings.length, n: number(run.warnings.length) })}>
          <ul>
            {run.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </Alert>
      )}

      {run.invoices && <RunInvoices invoices={run.invoices} />}

      <h2>{t('rows.title')}</h2>
      <fieldset className="segmented">
        <legend className="visually-hidden">{t('rows.filter')}</legend>
        <span className="segmented__label" aria-hidden="true">
          {t('rows.filter')}
        </span>
        {FILTERS.map((f) => (
          <label key={f} className="segmented__option">
            <input type="radio" name="row-filter" value={f} checked={filter === f} onChange={() => setFilter(f)} />
            <span>
              {f === 'all' ? t('rows.all') : t(`rowStatus.${f satisfies RowStatus}`)}{' '}
              <span className="segmented__count">{number(count(f))}</span>
            </span>
          </label>
        ))}
      </fieldset>

      {rows.isPending ? (
        <Spinner />
      ) : rows.error && !rows.data ? (
        <ErrorAlert error={rows.error} />
      ) : shown.length === 0 ? (
        <p className="empty">{filter === 'all' ? t('rows.empty') : t('rows.emptyFiltered')}</p>
      ) : (
        <>
          <RunRowsTable
            rows={shown}
            grouped={run.invoices !== undefined || shown.some((r) => r.invoiceKey != null)}
            onRetry={live ? undefined : (row) => retryRow.mutate(row)}
            retrying={retryRow.isPending || retry.isPending}
          />
          <div className="row row--between rows-footer">
            <p className="small muted" aria-live="polite">
              {t('rows.shown', { count: shown.length, n: number(shown.length) })}
            </p>
            {rows.hasNextPage && (
              <button type="button" className="button" onClick={() => void rows.fetchNextPage()} disabled={rows.isFetchingNextPage}>
                {rows.isFetchingNextPage ? t('rows.loading') : t('rows.loadMore')}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
