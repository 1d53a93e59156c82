import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { patch, post } from '../../api/client';
import type { Account, Connection, Run } from '../../api/types';
import { Alert, Badge, Switch } from '../../components/ui';
import { RelativeTime } from '../runs/RelativeTime';
import { RunCounts } from '../runs/RunCounts';
import { RunProgress } from '../runs/RunProgress';
import { RunStatusBadge } from '../runs/RunStatusBadge';
import { isLive, useRunSummary } from '../runs/queries';
import { useErrorMessage } from './error-message';
import { GearIcon, PencilIcon, PlayIcon, TrashIcon } from './icons';
import { CONNECTIONS_KEY } from './queries';
import { useScheduleSummary } from './schedule-summary';
import { useTitles } from './titles';

/** What the list says of a connection's last run (GET /api/connections gives these fields). */
type LastRun = Pick<Run, 'id' | 'status' | 'counts' | 'startedAt' | 'finishedAt' | 'error'>;

const queuedRun = (id: string): LastRun => ({
  id,
  status: 'queued',
  counts: { sent: 0, failed: 0, skipped: 0, pending: 0 },
  startedAt: null,
  finishedAt: null,
  error: null,
});

function updateCached(client: QueryClient, id: string, change: (c: Connection) => Connection) {
  client.setQueryData<Connection[]>(CONNECTIONS_KEY, (list) => list?.map((c) => (c.id === id ? change(c) : c)));
}

/**
 * One connection on the dashboard: what it does, its auto-update switch, its last and next run, and
 * its actions. A run it starts, or that is live, is followed every second until it ends.
 */
export function ConnectionItem(props: {
  connection: Connection;
  account: Account | undefined;
  connections: readonly Connection[];
  onDelete: (c: Connection) => void;
}) {
  const { connection: c, account } = props;
  const { t } = useTranslation(['dashboard', 'common']);
  const titles = useTitles();
  const summary = useScheduleSummary(props.connections);
  const messageOf = useErrorMessage();
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [startedRunId, setStartedRunId] = useState<string | null>(null);

  const toggle = useMutation({
    mutationFn: (enabled: boolean) => patch<Connection>(`/api/connections/${c.id}`, { enabled }),
    onMutate: async (enabled) => {
      setError(null);
      // A poll answered before the change must not undo it on screen.
      await client.cancelQueries({ queryKey: CONNECTIONS_KEY });
      updateCached(client, c.id, (x) => ({ ...x, enabled }));
    },
    onError: (err, enabled) => {
      // Only this connection's switch goes back: other switches may have changed meanwhile.
      updateCached(client, c.id, (x) => ({ ...x, enabled: !enabled }));
      const key = enabled ? 'connection.enableFailed' : 'connection.disableFailed';
      setError(t(key, { name: c.name, message: messageOf(err) }));
    },
    onSuccess: (updated) => updateCached(client, c.id, (x) => ({ ...x, ...updated, lastRun: x.lastRun, rows: x.rows })),
    onSettled: () => client.invalidateQueries({ queryKey: CONNECTIONS_KEY }),
  });

  const run = useMutation({
    mutationFn: () => post<{ runId: string }>(`/api/connections/${c.id}/run`),
    onMutate: () => setError(null),
    onSuccess: ({ runId }) => {
      setStartedRunId(runId);
      void client.invalidateQueries({ queryKey: CONNECTIONS_KEY });
    },
    onError: (err) => setError(t('connection.runFailed', { name: c.name, message: messageOf(err) })),
  });

  // Run ids sort by creation time: a run started here is newer than the list's last run until the
  // list catches up; from then on the list's last run says whether there is one to follow.
  const last = c.lastRun;
  const followId = startedRunId && (!last || startedRunId > last.id) ? startedRunId : last && isLive(last.status) ? last.id : null;
  const live = useRunSummary(followId);
  const ended = live.data !== undefined && !isLive(live.data.status);
  useEffect(() => {
    if (ended) void client.invalidateQueries({ queryKey: CONNECTIONS_KEY });
  }, [ended, client]);
  const shown: LastRun | null = followId ? (live.data ?? (last?.id === followId ? last : queuedRun(followId))) : last;

  const enabled = toggle.isPending && toggle.variables !== undefined ? toggle.variables : c.enabled;
  const scheduleLink = `/connections/${c.id}/edit?step=schedule`;

  return (
    <li className="connection" data-connection-id={c.id}>
      <div className="connection__what">
        <h2 className="connection__name">
          <Link to={`/connections/${c.id}/runs`}>{c.name}</Link>
        </h2>
        <p className="connection__flow">
          {t('connection.flow', { source: titles.source(c.source.type), action: titles.action(c.action) })}
        </p>
        <p className="connection__account small">
          <span className="visually-hidden">{t('connection.account')}: </span>
          {account ? (
            <>
              {account.name}{' '}
              {account.mode && <Badge tone={account.mode === 'live' ? 'live' : 'info'}>{t(`common:status.${account.mode}`)}</Badge>}
            </>
          ) : (
            <span className="muted">{t('connection.accountMissing')}</span>
          )}
        </p>
      </div>

      <div className="connection__auto">
        <div className="connection__switch">
          <Switch checked={enabled} onChange={(on) => toggle.mutate(on)} label={t('connection.enable', { name: c.name })} />
          <span aria-hidden="true">{t('connection.autoUpdate')}</span>
        </div>
        <p className="small muted">{summary(c.schedule)}</p>
      </div>

      <dl className="connection__runs">
        <div className="connection__last">
          <dt>{t('connection.lastRun')}</dt>
          <dd>
            {!shown ? (
              <span className="muted">{t('connection.notRunYet')}</span>
            ) : isLive(shown.status) ? (
              <>
                <span className="row row--tight">
                  <RunStatusBadge status={shown.status} />
                  <Link to={`/runs/${shown.id}`} className="small">
                    {t('connection.openRun')}
                  </Link>
                </span>
                <RunProgress status={shown.status} counts={shown.counts} pace={live.data?.id === shown.id ? live.data.pace : undefined} />
                <RunCounts counts={shown.counts} />
              </>
            ) : (
              <>
                <span className="row row--tight">
                  <Link to={`/runs/${shown.id}`}>
                    <RelativeTime iso={shown.finishedAt ?? shown.startedAt} />
                  </Link>
                  <RunStatusBadge status={shown.status} />
                </span>
                <RunCounts counts={shown.counts} />
                {shown.error && (
                  <p className="connection__error small" title={shown.error}>
                    {shown.error}
                  </p>
                )}
              </>
            )}
          </dd>
        </div>
        <div className="connection__next">
          <dt>{t('connection.nextRun')}</dt>
          <dd>
            {!enabled ? (
              <span className="muted">{t('connection.autoUpdateOff')}</span>
            ) : c.schedule.kind === 'off' ? (
              <Link to={scheduleLink}>{t('connection.noSchedule')}</Link>
            ) : c.schedule.kind === 'after' ? (
              <span>{summary(c.schedule)}</span>
            ) : c.nextRunAt ? (
              <RelativeTime iso={c.nextRunAt} />
            ) : (
              '—'
            )}
          </dd>
        </div>
      </dl>

      <div className="connection__actions">
        <button
          type="button"
          className="icon-button icon-button--primary"
          aria-label={t('connection.runNow', { name: c.name })}
          title={t('connection.runNow', { name: c.name })}
          onClick={() => run.mutate()}
          disabled={run.isPending}
        >
          <PlayIcon />
        </button>
        <Link
          to={scheduleLink}
          className="icon-button"
          aria-label={t('connection.schedule', { name: c.name })}
          title={t('connection.schedule', { name: c.name })}
        >
          <GearIcon />
        </Link>
        <Link
          to={`/connections/${c.id}/edit`}
          className="icon-button"
          aria-label={t('connection.edit', { name: c.name })}
          title={t('connection.edit', { name: c.name })}
        >
          <PencilIcon />
        </Link>
        <button
          type="button"
          className="icon-button icon-button--danger"
          aria-label={t('connection.delete', { name: c.name })}
          title={t('connection.delete', { name: c.name })}
          onClick={() => props.onDelete(c)}
        >
          <TrashIcon />
        </button>
      </div>

      {error && (
        <div className="connection__alert">
          <Alert kind="error">
            <div className="row row--between">
              <p>{error}</p>
              <button type="button" className="button button--small button--ghost" onClick={() => setError(null)}>
                {t('connection.dismiss')}
              </button>
            </div>
          </Alert>
        </div>
      )}
    </li>
  );
}
