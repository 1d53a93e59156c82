import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError, get, patch, post } from '../../api/client';
import type { Connection, NextRuns, Schedule } from '../../api/types';
import { Alert, ErrorAlert, Spinner, Switch } from '../../components/ui';
import { useFormat } from '../../lib/format';
import { browserTimezone, formOf, ScheduleEditor, scheduleOfForm, type ScheduleForm } from './ScheduleEditor';
import { keys, useConnections } from './queries';
import type { StepProps } from './step-props';
import { NextButton, StepSection, WizardNav } from './StepSection';
import { UnsavedAlert } from './UnsavedAlert';

const NEXT_RUNS = 5;

/**
 * Step 6: when the connection runs by itself. The schedule is saved with "Save schedule" (and by
 * "Finish" when it has changed); the next runs are then shown as the server computes them, in the
 * schedule's time zone. Auto-update is switched on and off apart, and a run can be started now.
 */
export function ScheduleStep(props: StepProps & { connection: Connection; onSaved: (saved: Connection) => void }) {
  const { t } = useTranslation(['wizard', 'common']);
  const { dateTime, relative } = useFormat();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { connection } = props;
  const connections = useConnections();
  const [form, setForm] = useState<ScheduleForm>(() => formOf(connection.schedule));
  const [showProblems, setShowProblems] = useState(false);
  const parsed = scheduleOfForm(form);
  const dirty = !parsed.ok || JSON.stringify(normalized(parsed.schedule)) !== JSON.stringify(normalized(connection.schedule));

  const nextRuns = useQuery({
    queryKey: [...keys.nextRuns(connection.id), connection.updatedAt],
    queryFn: () => get<NextRuns>(`/api/connections/${connection.id}/schedule/next?count=${NEXT_RUNS}`),
    enabled: connection.schedule.kind === 'interval' || connection.schedule.kind === 'times',
  });
  const saved = (c: Connection) => {
    props.onSaved(c);
    void client.invalidateQueries({ queryKey: keys.connections });
  };
  const saveSchedule = useMutation({
    mutationFn: (schedule: Schedule) => patch<Connection>(`/api/connections/${connection.id}`, { schedule }),
    onSuccess: saved,
  });
  // The switch moves at once and moves back if the server refuses (keyboards and tests expect a checkbox to follow the click).
  const [enabled, setEnabled] = useState(connection.enabled);
  const toggle = useMutation({
    mutationFn: (on: boolean) => patch<Connection>(`/api/connections/${connection.id}`, { enabled: on }),
    onMutate: (on) => setEnabled(on),
    onError: (_error, on) => setEnabled(!on),
    onSuccess: saved,
  });
  const runNow = useMutation({ mutationFn: () => post<{ runId: string }>(`/api/connections/${connection.id}/run`) });

  const save = async (): Promise<boolean> => {
    setShowProblems(true);
    if (!parsed.ok) return false;
    if (!dirty) return true;
    try {
      await saveSchedule.mutateAsync(parsed.schedule);
      return true;
    } catch {
      return false;
    }
  };
  const finish = async () => {
    if (await save()) navigate('/');
  };

  const serverError =
    saveSchedule.error instanceof ApiError
      ? saveSchedule.error
          .forField('schedule')
          .map((e) => e.message)
          .join(' ') || saveSchedule.error.message
      : undefined;
  const others = (connections.data ?? []).filter((c) => c.id !== connection.id).map((c) => ({ id: c.id, name: c.name }));
  const zone = connection.schedule.kind === 'times' ? connection.schedule.timezone : browserTimezone();
  const after = connection.schedule.kind === 'after' ? connection.schedule : undefined;
  const followed = after && connections.data?.find((c) => c.id === after.connectionId);

  return (
    <StepSection step="schedule" intro={t('schedule.intro')}>
      <UnsavedAlert {...props} />
      <div className="card">
        <div className="wizard-enable">
          <Switch
            checked={enabled}
            disabled={toggle.isPending}
            label={t('schedule.enable')}
            onChange={(enabled) => toggle.mutate(enabled)}
          />
          <div>
            <p className="wizard-enable__state" aria-hidden="true">
              {t('schedule.enable')}: <strong>{t(enabled ? 'schedule.stateOn' : 'schedule.stateOff')}</strong>
            </p>
            <p className="small muted">{t(enabled ? 'schedule.enabledHelp' : 'schedule.disabledHelp')}</p>
          </div>
        </div>
        <ErrorAlert error={toggle.error} />
      </div>

      <div className="card">
        <h3 className="card__title">{t('schedule.title')}</h3>
        {connections.isPending && <Spinner />}
        <ScheduleEditor
          value={form}
          onChange={setForm}
          connections={others}
          problems={showProblems && !parsed.ok ? parsed.problems : undefined}
          serverError={serverError}
        />
        <div className="row wizard-schedule__save">
          <button type="button" className="button" onClick={() => void save()} disabled={saveSchedule.isPending || (!dirty && parsed.ok)}>
            {saveSchedule.isPending ? t('common:status.saving') : t('schedule.save')}
          </button>
          {dirty ? (
            <span className="small muted">{t('schedule.unsaved')}</span>
          ) : (
            saveSchedule.isSuccess && (
              <span className="small" role="status">
                {t('schedule.saved')}
              </span>
            )
          )}
        </div>
        {saveSchedule.error != null && !(saveSchedule.error instanceof ApiError && saveSchedule.error.status === 400) && (
          <ErrorAlert error={saveSchedule.error} />
        )}

        <h3>{t('schedule.nextTitle')}</h3>
        {connection.schedule.kind === 'off' && <p className="muted">{t('schedule.nextOff')}</p>}
        {after && (
          <p className="muted">{t(`schedule.nextAfter.${after.on ?? 'success'}`, { name: followed?.name ?? after.connectionId })}</p>
        )}
        {nextRuns.isPending && nextRuns.fetchStatus !== 'idle' && <Spinner />}
        <ErrorAlert error={nextRuns.error} />
        {nextRuns.data && nextRuns.data.next.length > 0 && (
          <>
            {!connection.enabled && <Alert kind="info">{t('schedule.nextWhenEnabled')}</Alert>}
            <ol className="wizard-next-runs">
              {nextRuns.data.next.map((n) => (
                <li key={n.utc}>
                  <time dateTime={n.utc}>{dateTime(n.utc, zone)}</time> <span className="muted small">({relative(n.utc)})</span>
                </li>
              ))}
            </ol>
            <p className="small muted">{t('schedule.nextZone', { zone: zone.replace(/_/g, ' ') })}</p>
          </>
        )}
      </div>

      <div className="card">
        <h3 className="card__title">{t('schedule.runNowTitle')}</h3>
        <p className="small muted">{t('schedule.runNowHelp')}</p>
        <button type="button" className="button" onClick={() => runNow.mutate()} disabled={runNow.isPending}>
          {t('schedule.runNow')}
        </button>
        {runNow.data && (
          <p role="status">
            {t('schedule.runStarted')} <Link to={`/runs/${runNow.data.runId}`}>{t('schedule.openRun')}</Link>
          </p>
        )}
        <ErrorAlert error={runNow.error} />
      </div>

      <WizardNav onBack={() => props.go('test')}>
        <NextButton onClick={() => void finish()} busy={saveSchedule.isPending} label={t('schedule.finish')} />
      </WizardNav>
    </StepSection>
  );
}

/** A schedule compared by what it means: days left out are every day, `on` left out is success. */
function normalized(s: Schedule): Schedule {
  if (s.kind === 'times') return { ...s, times: [...s.times].sort(), days: s.days && s.days.length < 7 ? s.days : undefined };
  if (s.kind === 'after') return { ...s, on: s.on ?? 'success' };
  return s;
}
