import type { Schedule } from '../../api/types';

/** Days as the server writes them, Monday first (ISO 8601). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The server's limits (src/core/schedule/schedule.ts). */
export const MAX_INTERVAL_MINUTES = 10_080;
export const MAX_TIMES = 48;

/**
 * A schedule as its form holds it: every kind's settings at once (switching the kind back and
 * forth loses nothing), numbers as typed. `scheduleOfForm` gives the API's shape, or the problems.
 */
export interface ScheduleForm {
  kind: Schedule['kind'];
  minutes: string;
  times: string[];
  timezone: string;
  days: Weekday[];
  connectionId: string;
  on: 'success' | 'any';
}

export const browserTimezone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function formOf(s: Schedule): ScheduleForm {
  const form: ScheduleForm = {
    kind: s.kind,
    minutes: '60',
    times: ['09:00'],
    timezone: browserTimezone(),
    days: [...WEEKDAYS],
    connectionId: '',
    on: 'success',
  };
  if (s.kind === 'interval') form.minutes = String(s.minutes);
  if (s.kind === 'times') {
    form.times = [...s.times];
    form.timezone = s.timezone;
    form.days = WEEKDAYS.filter((d) => (s.days ?? WEEKDAYS).includes(d));
  }
  if (s.kind === 'after') {
    form.connectionId = s.connectionId;
    form.on = s.on ?? 'success';
  }
  return form;
}

export type ScheduleProblem = 'minutes' | 'noTimes' | 'badTime' | 'duplicateTime' | 'tooManyTimes' | 'noDays' | 'noConnection';

/** What the schedule's form gives: the schedule to save, or which of its fields are wrong. */
export function scheduleOfForm(
  f: ScheduleForm,
): { ok: true; schedule: Schedule } | { ok: false; problems: Partial<Record<string, ScheduleProblem>> } {
  const problems: Partial<Record<string, ScheduleProblem>> = {};
  switch (f.kind) {
    case 'off':
      return { ok: true, schedule: { kind: 'off' } };
    case 'interval': {
      const minutes = Number(f.minutes);
      if (!/^\d+$/.test(f.minutes.trim()) || minutes < 1 || minutes > MAX_INTERVAL_MINUTES) problems.minutes = 'minutes';
      return Object.keys(problems).length ? { ok: false, problems } : { ok: true, schedule: { kind: 'interval', minutes } };
    }
    case 'times': {
      if (f.times.length === 0) problems.times = 'noTimes';
      if (f.times.length > MAX_TIMES) problems.times = 'tooManyTimes';
      f.times.forEach((time, i) => {
        if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) problems[`times.${i}`] = 'badTime';
        else if (f.times.indexOf(time) !== i) problems[`times.${i}`] = 'duplicateTime';
      });
      if (f.days.length === 0) problems.days = 'noDays';
      return Object.keys(problems).length
        ? { ok: false, problems }
        : {
            ok: true,
            schedule: {
              kind: 'times',
              times: [...f.times].sort(),
              timezone: f.timezone,
              // Every day is the default; the list is sent only when it is shorter.
              ...(f.days.length < WEEKDAYS.length && { days: [...f.days] }),
            },
          };
    }
    case 'after':
      if (!f.connectionId) problems.connectionId = 'noConnection';
      return Object.keys(problems).length
        ? { ok: false, problems }
        : { ok: true, schedule: { kind: 'after', connectionId: f.connectionId, on: f.on } };
  }
}
