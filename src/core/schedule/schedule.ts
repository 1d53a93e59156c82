import { IANAZone } from 'luxon';
import { z } from 'zod';
import { quote } from '../field-error.js';
import { fail, ok, type Result } from '../result.js';

/**
 * A connection's schedule: when the engine starts a run of it on its own.
 *
 * - `{"kind": "off"}`: only by hand (Run now) or by a webhook.
 * - `{"kind": "interval", "minutes": 60}`: every N minutes of absolute time, counted from the
 *   previous run (see `next-run.ts`).
 * - `{"kind": "times", "times": ["09:00", "17:30"], "timezone": "Europe/Kyiv", "days": ["mon", "fri"]}`:
 *   at these wall-clock times in that time zone, on those days.
 * - `{"kind": "after", "connectionId": "…", "on": "success"}`: when another connection's run ends.
 *
 * Two forms, as with graphile-worker's options: `ScheduleInput` is what a person or the UI writes
 * (defaults may be left out), `Schedule` is what `parseSchedule` returns (every default filled in,
 * times and days de-duplicated and sorted). A `Schedule` is itself a valid `ScheduleInput`, and
 * parsing it again returns it unchanged, so the parsed form is the one to store.
 */
export type Schedule = Exclude<Checked, { kind: 'times' }> | TimesSchedule;

/** A `times` schedule after parsing: `timezone` is always there. */
export type TimesSchedule = Omit<Extract<Checked, { kind: 'times' }>, 'timezone'> & { timezone: string };

/** A schedule as written, before defaults: `timezone`, `days` and `on` may be left out. */
export type ScheduleInput = z.input<typeof scheduleSchema>;

export type Weekday = (typeof WEEKDAYS)[number];

/** The days of the week in the order they are listed and stored: Monday first (ISO 8601). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Why 48: one run every half hour is as often as a list of times is meant for; more is an interval. */
export const MAX_TIMES = 48;

/** Why 10080 (7 days): a longer interval is better written as a weekly `times` schedule, which keeps to the wall clock. */
export const MAX_INTERVAL_MINUTES = 10_080;

const KINDS = 'use off, interval, times or after';
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const TIMES_ALLOWED = `use 1 to ${MAX_TIMES} times as ["HH:MM", …]`;
const DAYS_ALLOWED = 'use mon, tue, wed, thu, fri, sat or sun';
const MINUTES_ALLOWED = `use a whole number of minutes from 1 to ${MAX_INTERVAL_MINUTES} (7 days)`;
const ZONE_EXAMPLE = 'an IANA time zone such as Europe/Kyiv';

/*
 * Every message below is the part that follows the value, the way `describeIssues` (src/engine)
 * and `parseSchedule` print them: `schedule.minutes: 0 is not an interval; use …`. A missing
 * value reads `schedule.minutes: is required; use …`.
 */
type Issue = { input?: unknown };
const problem =
  (what: string, allowed: string) =>
  (issue: Issue): string =>
    issue.input === undefined ? `is required; ${allowed}` : `is not ${what}; ${allowed}`;

/** Strict, so that a misspelt field (`"timzone"`) is refused instead of silently falling back to a default. */
function strictSchedule<const Shape extends z.core.$ZodLooseShape>(kind: string, shape: Shape) {
  const fields = Object.keys(shape);
  const has = fields.length === 1 ? 'only kind' : `${fields.slice(0, -1).join(', ')} and ${fields.at(-1)}`;
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => quote(k)).join(', ')}; ${kind} schedule has ${has}`
        : undefined,
  });
}

const notATime = problem('a time', 'use HH:MM from 00:00 to 23:59');
const timeOfDay = z.string({ error: notATime }).regex(TIME, { error: notATime });

const notMinutes = problem('an interval', MINUTES_ALLOWED);

const weekday = z.enum(WEEKDAYS, { error: problem('a day', DAYS_ALLOWED) });

const timezone = z
  .string({ error: () => `is not ${ZONE_EXAMPLE}` })
  .refine((name) => IANAZone.isValidZone(name), { error: () => `is not ${ZONE_EXAMPLE}` });

const uniqueSorted = <T extends string>(values: readonly T[], order?: (a: T, b: T) => number): T[] => [...new Set(values)].sort(order);

export const scheduleSchema = z.discriminatedUnion(
  'kind',
  [
    strictSchedule('an off', { kind: z.literal('off') }),
    strictSchedule('an interval', {
      kind: z.literal('interval'),
      /** Minutes between runs, whole, 1 to 10080. */
      minutes: z
        .number({ error: notMinutes })
        .int({ error: notMinutes })
        .min(1, { error: notMinutes })
        .max(MAX_INTERVAL_MINUTES, { error: notMinutes }),
    }),
    strictSchedule('a times', {
      kind: z.literal('times'),
      /** Wall-clock times of day, HH:MM in 24 hours; stored de-duplicated and sorted. */
      times: z
        .array(timeOfDay, { error: problem('a list of times', TIMES_ALLOWED) })
        .min(1, { error: () => `is empty; ${TIMES_ALLOWED}` })
        .refine((list) => new Set(list).size <= MAX_TIMES, {
          error: (issue) => `has ${new Set(issue.input as string[]).size} different times; ${TIMES_ALLOWED}`,
        })
        .transform((list) => uniqueSorted(list)),
      /** The IANA time zone the times are read in. (Default: the server's, which the caller of `parseSchedule` passes.) */
      timezone: timezone.optional(),
      /** The days the times apply to, Monday first. (Default: every day.) */
      days: z
        .array(weekday, { error: problem('a list of days', `${DAYS_ALLOWED}, such as ["mon", "fri"]`) })
        .min(1, { error: () => `is empty; list at least one day, or leave days out for every day` })
        .optional()
        .transform((list) => uniqueSorted(list ?? WEEKDAYS, (a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b))),
    }),
    strictSchedule('an after', {
      kind: z.literal('after'),
      /** The connection whose runs trigger this one. Whether it exists, and cycles, are the engine's to check. */
      connectionId: z
        .string({ error: problem('a connection id', 'use the id of the connection to run after') })
        .refine((id) => id.trim() !== '', { error: () => 'is not a connection id; use the id of the connection to run after' }),
      /** `success`: only after a run that succeeded; `any`: after every run, failed ones too. (Default: success.) */
      on: z.enum(['success', 'any'], { error: problem('a run outcome', 'use success or any') }).default('success'),
    }),
  ],
  {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return problem('a schedule', 'use an object such as {"kind": "interval", "minutes": 60}')(issue);
      const kind = (issue.input as { kind?: unknown }).kind;
      return kind === undefined ? `is required; ${KINDS}` : `is not a kind of schedule; ${KINDS}`;
    },
  },
);

type Checked = z.output<typeof scheduleSchema>;

/**
 * Parses a schedule as the UI or the API sends it. `defaultTimezone` is the server's time zone,
 * used when a `times` schedule leaves `timezone` out; it is passed in because code in src/core
 * never reads the environment. Every problem is reported, joined by `; `, each naming the field,
 * the value and what is allowed: `schedule.times[1]: "25:00" is not a time; use HH:MM from 00:00 to 23:59`.
 */
export function parseSchedule(input: unknown, defaultTimezone: string): Result<Schedule> {
  const result = scheduleSchema.safeParse(input);
  if (!result.success) return fail(result.error.issues.map((issue) => describe(issue, input)).join('; '));
  const schedule = result.data;
  if (schedule.kind !== 'times') return ok(schedule);
  if (schedule.timezone !== undefined) return ok({ ...schedule, timezone: schedule.timezone });
  if (!IANAZone.isValidZone(defaultTimezone)) {
    return fail(`schedule.timezone: is required, because the server's time zone ${quote(defaultTimezone)} is not ${ZONE_EXAMPLE}`);
  }
  return ok({ ...schedule, timezone: defaultTimezone });
}

/** `schedule.times[1]: "25:00" is not a time; …`: the path, the value found there, and the issue's message. */
function describe(issue: z.core.$ZodIssue, input: unknown): string {
  const field = issue.path.reduce<string>(
    (path, key) => (typeof key === 'number' ? `${path}[${key}]` : `${path}.${String(key)}`),
    'schedule',
  );
  let value: unknown = input;
  for (const key of issue.path)
    value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  const shown = value === undefined || issue.code === 'unrecognized_keys' ? '' : `${show(value)} `;
  return `${field}: ${shown}${issue.message}`;
}

/** A value as JSON, strings quoted and anything long shortened, so that a pasted document cannot flood a message. */
function show(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 80)}…` : json;
}
