import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/ui';
import { useFormat } from '../../lib/format';
import { MAX_INTERVAL_MINUTES, MAX_TIMES, WEEKDAYS, type ScheduleForm, type ScheduleProblem } from './schedule-form';
import { ChoiceCard } from './ChoiceCard';

export { browserTimezone, formOf, scheduleOfForm, type ScheduleForm } from './schedule-form';

const KINDS = ['off', 'interval', 'times', 'after'] as const;

/** 1 January 2024 was a Monday: the weekdays' names in any language come from the week after it. */
const MONDAY = Date.UTC(2024, 0, 1, 12);

/**
 * A connection's auto-update schedule: off, every N minutes, at times of day in a time zone on
 * chosen weekdays, or after another connection's run. Controlled: it edits a `ScheduleForm`
 * (`formOf(schedule)` makes one; `scheduleOfForm(form)` gives the schedule to save or its
 * problems). `connections` are those it may follow (without the connection itself).
 */
export function ScheduleEditor(props: {
  value: ScheduleForm;
  onChange: (form: ScheduleForm) => void;
  connections: readonly { id: string; name: string }[];
  /** Problems by field (`minutes`, `times`, `times.0`, `days`, `connectionId`), shown under the fields. */
  problems?: Partial<Record<string, ScheduleProblem>>;
  /** The server's own message about the schedule, after a save. */
  serverError?: string;
}) {
  const { t } = useTranslation('wizard');
  const { locale } = useFormat();
  const id = useId();
  const form = props.value;
  const set = (patch: Partial<ScheduleForm>) => props.onChange({ ...form, ...patch });
  const problem = (key: string) => {
    const p = props.problems?.[key];
    return p ? t(`schedule.problems.${p}`, { max: MAX_INTERVAL_MINUTES, maxTimes: MAX_TIMES }) : undefined;
  };
  const zones = useMemo(() => {
    const all = Intl.supportedValuesOf('timeZone');
    return all.includes(form.timezone) ? all : [form.timezone, ...all];
  }, [form.timezone]);
  const dayName = (i: number) => new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(MONDAY + i * 86_400_000);

  return (
    <div className="wizard-schedule stack">
      <fieldset className="wizard-choices">
        <legend>{t('schedule.kindLegend')}</legend>
        {KINDS.map((kind) => (
          <ChoiceCard
            key={kind}
            name={`${id}-kind`}
            value={kind}
            checked={form.kind === kind}
            onChange={() => set({ kind })}
            title={t(`schedule.kinds.${kind}`)}
            description={t(`schedule.kindHelp.${kind}`)}
          />
        ))}
      </fieldset>

      {form.kind === 'interval' && (
        <Field
          label={t('schedule.minutes')}
          help={t('schedule.minutesHelp', { max: MAX_INTERVAL_MINUTES })}
          error={problem('minutes')}
          required
        >
          {(f) => (
            <input
              id={f.id}
              type="number"
              min={1}
              max={MAX_INTERVAL_MINUTES}
              step={1}
              inputMode="numeric"
              className="wizard-narrow"
              value={form.minutes}
              aria-describedby={f.describedBy}
              aria-invalid={f.invalid || undefined}
              onChange={(e) => set({ minutes: e.target.value })}
            />
          )}
        </Field>
      )}

      {form.kind === 'times' && (
        <>
          <fieldset>
            <legend>{t('schedule.times')}</legend>
            <p className="small muted" id={`${id}-rule`}>
              {t('schedule.fiveMinuteRule')}
            </p>
            <ol className="wizard-times">
              {form.times.map((time, i) => (
                <li key={i} className="wizard-times__item">
                  <Field label={t('schedule.time', { n: i + 1 })} error={problem(`times.${i}`)}>
                    {(f) => (
                      <input
                        id={f.id}
                        type="time"
                        required
                        value={time}
                        aria-describedby={[f.describedBy, `${id}-rule`].filter(Boolean).join(' ')}
                        aria-invalid={f.invalid || undefined}
                        onChange={(e) => set({ times: form.times.map((x, j) => (j === i ? e.target.value : x)) })}
                      />
                    )}
                  </Field>
                  <button
                    type="button"
                    className="button button--ghost button--small"
                    aria-label={t('schedule.removeTime', { n: i + 1 })}
                    onClick={() => set({ times: form.times.filter((_, j) => j !== i) })}
                  >
                    {t('schedule.remove')}
                  </button>
                </li>
              ))}
            </ol>
            {problem('times') && (
              <p className="field__error" role="alert">
                {problem('times')}
              </p>
            )}
            <button
              type="button"
              className="button button--small"
              disabled={form.times.length >= MAX_TIMES}
              onClick={() => set({ times: [...form.times, form.times.at(-1) === '09:00' ? '18:00' : '09:00'] })}
            >
              {t('schedule.addTime')}
            </button>
          </fieldset>
          <Field label={t('schedule.timezone')} help={t('schedule.timezoneHelp')}>
            {(f) => (
              <select id={f.id} value={form.timezone} aria-describedby={f.describedBy} onChange={(e) => set({ timezone: e.target.value })}>
                {zones.map((z) => (
                  <option key={z} value={z}>
                    {z.replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset aria-describedby={problem('days') ? `${id}-days-error` : undefined}>
            <legend>{t('schedule.days')}</legend>
            <div className="wizard-days">
              {WEEKDAYS.map((day, i) => (
                <label key={day} className="wizard-day">
                  <input
                    type="checkbox"
                    checked={form.days.includes(day)}
                    onChange={(e) => set({ days: WEEKDAYS.filter((d) => (d === day ? e.target.checked : form.days.includes(d))) })}
                  />{' '}
                  {dayName(i)}
                </label>
              ))}
            </div>
            {problem('days') && (
              <p className="field__error" id={`${id}-days-error`} role="alert">
                {problem('days')}
              </p>
            )}
          </fieldset>
        </>
      )}

      {form.kind === 'after' && (
        <>
          <Field label={t('schedule.afterConnection')} help={t('schedule.afterHelp')} error={problem('connectionId')} required>
            {(f) => (
              <select
                id={f.id}
                value={form.connectionId}
                aria-describedby={f.describedBy}
                aria-invalid={f.invalid || undefined}
                onChange={(e) => set({ connectionId: e.target.value })}
              >
                <option value="">{t('schedule.chooseConnection')}</option>
                {props.connections.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset className="wizard-choices wizard-choices--inline">
            <legend>{t('schedule.onLegend')}</legend>
            {(['success', 'any'] as const).map((on) => (
              <ChoiceCard
                key={on}
                name={`${id}-on`}
                value={on}
                checked={form.on === on}
                onChange={() => set({ on })}
                title={t(`schedule.on.${on}`)}
              />
            ))}
          </fieldset>
        </>
      )}

      {props.serverError && (
        <p className="field__error" role="alert">
          {props.serverError}
        </p>
      )}
    </div>
  );
}
