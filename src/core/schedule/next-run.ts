import { DateTime } from 'luxon';
import type { Schedule } from './schedule.js';
import { latestSlotAt, MINUTE, slotsAfter, zoneNamed } from './slots.js';

/**
 * When to run a connection next. Everything here is pure: the current time is always a
 * parameter (`savedAt`, `after`, `from`), and nothing reads the clock.
 *
 * A *slot* is an instant a schedule asks for a run. `times` schedules have fixed slots (see
 * `slots.ts` for daylight saving). `interval` schedules have none of their own: their next slot is
 * counted from the previous run, N minutes of absolute time later, so a change of clocks never
 * stretches or shrinks an interval. `off` and `after` schedules have no slots; an `after`
 * schedule runs when the other connection's run ends, which is the engine's business.
 */

/**
 * The 5-minute rule: when a schedule is saved, a listed time less than this far ahead is left for
 * its next day. Why: someone who saves "12:10" at 12:08 is most likely still setting the
 * connection up, and a run two minutes later would surprise them; the same time tomorrow does not.
 */
export const SAVE_MARGIN_MINUTES = 5;

/** The most runs `upcomingRuns` lists. */
export const MAX_UPCOMING_RUNS = 500;

/**
 * The first run after a schedule is saved (or its connection switched on) at `savedAt`.
 *
 * - `times`: the first slot at least 5 minutes after `savedAt` (the 5-minute rule). Saved at
 *   12:08, 12:10 runs tomorrow at 12:10; saved at 12:13, 12:20 runs today. Exactly 5 minutes ahead
 *   is not "less than 5 minutes", so saved at 12:05:00, 12:10 runs today. Other listed times of
 *   today still run today: only the time too close moves to its next allowed day.
 * - `interval`: `savedAt` + N minutes, not `savedAt` itself. Why: someone who saves "every hour"
 *   expects the first run in an hour, as with the 5-minute rule for times; a run right now is what
 *   Run now is for, and an immediate run while the connection is being set up would surprise.
 * - `off`, `after`: undefined.
 */
export function firstRunAfterSave(schedule: Schedule, savedAt: Date): Date | undefined {
  const at = instant(savedAt, 'savedAt');
  switch (schedule.kind) {
    case 'interval':
      return new Date(at + schedule.minutes * MINUTE);
    case 'times':
      // The first slot at or after savedAt + 5 minutes: the first slot strictly after 1 ms before it.
      return first(slotsAfter(schedule, at + SAVE_MARGIN_MINUTES * MINUTE - 1));
    default:
      return undefined;
  }
}

/**
 * The next slot strictly after `after`: for `times`, the next listed time on an allowed day in the
 * schedule's zone; for `interval`, `after` + N minutes of absolute time (pass the previous run's
 * slot). `off` and `after` schedules: undefined.
 */
export function nextRunAfter(schedule: Schedule, after: Date): Date | undefined {
  const at = instant(after, 'after');
  switch (schedule.kind) {
    case 'interval':
      return new Date(at + schedule.minutes * MINUTE);
    case 'times':
      return first(slotsAfter(schedule, at));
    default:
      return undefined;
  }
}

export interface UpcomingOptions {
  /** List runs at or after this instant; without `first` or `savedAt`, strictly after it ("now", or the previous run for an interval). */
  from: Date;
  /** When the schedule was saved: the runs then start at `firstRunAfterSave(schedule, savedAt)`. */
  savedAt?: Date;
  /** A run already planned (the stored next run): the runs start there. Wins over `savedAt`. */
  first?: Date;
  /** How many runs to list, at most `MAX_UPCOMING_RUNS`; a larger count lists that many, a smaller than 1 none. */
  count: number;
}

/**
 * The next `count` runs, for showing a schedule to a person. The runs form one chain: its start
 * (`first`, else `firstRunAfterSave(savedAt)`, else `nextRunAfter(from)`), then `nextRunAfter`
 * of each run. The list is the chain's runs at or after `from`. For an interval this assumes each
 * run starts on time: saved at 10:00 every 90 minutes, from 13:10 lists 14:30, 16:00, …
 */
export function upcomingRuns(schedule: Schedule, o: UpcomingOptions): Date[] {
  const from = instant(o.from, 'from');
  const count = Math.min(Math.max(Math.floor(o.count), 0), MAX_UPCOMING_RUNS);
  const chosen = o.first ?? (o.savedAt === undefined ? undefined : firstRunAfterSave(schedule, o.savedAt));
  const start = chosen === undefined ? undefined : instant(chosen, 'first');
  const runs: number[] = [];
  if (count === 0) return [];
  if (schedule.kind === 'interval') {
    const step = schedule.minutes * MINUTE;
    let run = start ?? from + step;
    // Whole steps until the chain reaches `from`.
    if (run < from) run += Math.ceil((from - run) / step) * step;
    for (; runs.length < count; run += step) runs.push(run);
  }
  if (schedule.kind === 'times') {
    let after = from;
    if (start !== undefined && start >= from) {
      runs.push(start);
      after = start;
    } else if (start !== undefined) {
      // The chain started before `from` and holds every slot since, so a slot exactly at `from` is listed.
      after = from - 1;
    }
    if (runs.length < count) {
      for (const slot of slotsAfter(schedule, after)) {
        if (runs.push(slot) >= count) break;
      }
    }
  }
  return runs.map((run) => new Date(run));
}

/**
 * How many slots fall in (`from`, `to`]: the runs missed while Sluice was down, when `from` is the
 * previous slot or run. For an interval, the slots are `from` + N, + 2N, … The engine does not
 * run a connection once per missed slot: it runs once on start, then carries on from the next
 * slot after now. This count is for saying so ("missed 3 runs").
 */
export function slotsBetween(schedule: Schedule, from: Date, to: Date): number {
  const start = instant(from, 'from');
  const end = instant(to, 'to');
  if (end <= start) return 0;
  switch (schedule.kind) {
    case 'interval':
      return Math.floor((end - start) / (schedule.minutes * MINUTE));
    case 'times': {
      let count = 0;
      for (const slot of slotsAfter(schedule, start)) {
        if (slot > end) break;
        count += 1;
      }
      return count;
    }
    default:
      return 0;
  }
}

/**
 * The latest slot of a `times` schedule at or before `at`: the one a catch-up run on start stands
 * for. Undefined for the other kinds: an interval has no fixed slots, `off` and `after` none at all.
 */
export function latestSlotAtOrBefore(schedule: Schedule, at: Date): Date | undefined {
  if (schedule.kind !== 'times') return undefined;
  const slot = latestSlotAt(schedule, instant(at, 'at'));
  return slot === undefined ? undefined : new Date(slot);
}

/**
 * An instant as ISO 8601 in a time zone, with its offset, the way a person in that zone reads it:
 * `2026-03-29T04:30:00.000+03:00` in Europe/Kyiv. In UTC (and its aliases, such as Etc/UTC) it is
 * exactly `toISOString()`, `Z` and all, so that UTC times look the same everywhere in Sluice.
 */
export function localIso(date: Date, timezone: string): string {
  const at = instant(date, 'date');
  const zone = zoneNamed(timezone);
  if (isUtc(zone.name)) return date.toISOString();
  const iso = DateTime.fromMillis(at, { zone }).toISO();
  if (iso === null) throw new RangeError(`${date.toString()} cannot be written in ${timezone}`);
  return iso;
}

const utcNames = new Map<string, boolean>();

/** UTC under any of its names (UTC, Etc/UTC, Etc/GMT, Zulu, …), as the platform's time zone data resolves them. */
function isUtc(name: string): boolean {
  let utc = utcNames.get(name);
  if (utc === undefined) {
    utc = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone === 'UTC';
    utcNames.set(name, utc);
  }
  return utc;
}

function first(slots: Iterator<number>): Date | undefined {
  const next = slots.next();
  return next.done ? undefined : new Date(next.value);
}

/** A date's milliseconds, refusing an invalid date: it would make every comparison false and every loop endless. */
function instant(date: Date, name: string): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid date`);
  return ms;
}
