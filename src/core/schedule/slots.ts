import { IANAZone } from 'luxon';
import { WEEKDAYS, type TimesSchedule } from './schedule.js';

/**
 * The slots of a `times` schedule: the instants its listed wall-clock times fall on, in its time
 * zone, on its days. Instants are milliseconds since the epoch, as in `Date.getTime()`.
 *
 * Daylight saving, the rule: every listed time runs exactly once on each allowed day.
 * - A time inside the hour skipped when clocks go forward (02:30 in New York on 2026-03-08)
 *   runs at the wall time it would read had the clocks not changed yet: 03:30 EDT. This is the
 *   shift luxon and the ECMAScript Temporal proposal (`disambiguation: 'compatible'`) make.
 * - A time inside the hour repeated when clocks go back (01:30 in New York on 2026-11-01) runs at
 *   its first occurrence (01:30 EDT), not both. Luxon on its own picks the second, so this file
 *   resolves wall times itself rather than through `DateTime.fromObject`.
 * - Two listed times that land on the same instant (02:30 shifted to 03:30, and 03:30) run once.
 */

export const MINUTE = 60_000;
export const DAY = 86_400_000;

/**
 * The instants the wall times of a date can land on lie within a day of that date's midnight read
 * as UTC: UTC offsets are within ±24 h (within −12 h to +14 h in practice), and the shift out of a
 * skipped hour is bounded by the same. So the slots of dates after `d` are never before `d`'s
 * UTC midnight, and the slots of dates before `d` are never after `d`'s UTC midnight plus a day.
 * The generators below use these bounds to release slots in order, which matters on the rare
 * date whose shifted slots overtake later ones (Pacific/Apia skipped all of 2011-12-30).
 */
const REACH = DAY;

/** Slots strictly after `after`, earliest first, each once. Endless; the caller stops. */
export function* slotsAfter(schedule: TimesSchedule, after: number): Generator<number, void> {
  const plan = planOf(schedule);
  if (plan === undefined) return;
  const pending: number[] = [];
  let last = after;
  for (let date = Math.floor(after / DAY) - 2; ; date += 1) {
    pending.push(...plan.slotsOn(date).filter((slot) => slot > last));
    pending.sort((a, b) => a - b);
    // Dates after this one have no slot before this one's UTC midnight (see REACH).
    while (pending.length > 0 && (pending[0] as number) < date * DAY + DAY - REACH) {
      const slot = pending.shift() as number;
      if (slot > last) yield (last = slot);
    }
  }
}

/** The latest slot at or before `at`, or undefined when the schedule has none. */
export function latestSlotAt(schedule: TimesSchedule, at: number): number | undefined {
  const plan = planOf(schedule);
  if (plan === undefined) return undefined;
  let best: number | undefined;
  // Days are allowed at least once a week, so ten dates back always hold a slot.
  for (let date = Math.floor(at / DAY) + 1; date > Math.floor(at / DAY) - 10; date -= 1) {
    // Dates before this one have no slot after this one's UTC midnight plus REACH.
    if (best !== undefined && best > date * DAY + DAY + REACH) break;
    for (const slot of plan.slotsOn(date)) if (slot <= at && (best === undefined || slot > best)) best = slot;
  }
  return best;
}

interface Plan {
  /** The slots of one date, given as days since 1970-01-01; unsorted, possibly repeated. */
  slotsOn(date: number): number[];
}

function planOf(schedule: TimesSchedule): Plan | undefined {
  const zone = zoneNamed(schedule.timezone);
  const minutes = schedule.times.map(minutesOfDay);
  // getUTCDay counts from Sunday; WEEKDAYS from Monday.
  const days = new Set(schedule.days.map((day) => (WEEKDAYS.indexOf(day) + 1) % 7));
  if (minutes.length === 0 || days.size === 0) return undefined;
  return {
    slotsOn(date) {
      const midnight = date * DAY;
      if (!days.has(new Date(midnight).getUTCDay())) return [];
      // Most dates have no change of offset near them: one offset serves every time of the date.
      const offset = zone.offset(midnight - DAY);
      if (offset === zone.offset(midnight + 2 * DAY)) return minutes.map((m) => midnight + m * MINUTE - offset * MINUTE);
      return minutes.map((m) => instantOfWallTime(zone, midnight + m * MINUTE));
    },
  };
}

/**
 * The instant a wall time happens in a zone, by the rules above. `wall` is the wall time written
 * as if it were UTC (`Date.UTC(y, m, d, h, min)`). Assumes at most one change of offset within a
 * day either side, which holds for every zone in the tz database.
 */
export function instantOfWallTime(zone: IANAZone, wall: number): number {
  const before = wall - zone.offset(wall - DAY) * MINUTE;
  const after = wall - zone.offset(wall + DAY) * MINUTE;
  const happens = (instant: number): boolean => instant + zone.offset(instant) * MINUTE === wall;
  if (happens(before) && happens(after)) return Math.min(before, after);
  if (happens(before)) return before;
  if (happens(after)) return after;
  // Skipped: read with the offset from before the change, which moves it forward by the gap.
  return before;
}

export function zoneNamed(name: string): IANAZone {
  const zone = IANAZone.create(name);
  if (!zone.isValid) throw new RangeError(`${JSON.stringify(name)} is not an IANA time zone; parse schedules with parseSchedule`);
  return zone;
}

function minutesOfDay(time: string): number {
  const match = /^(\d\d):(\d\d)$/.exec(time);
  if (!match) throw new RangeError(`${JSON.stringify(time)} is not a time; parse schedules with parseSchedule`);
  return Number(match[1]) * 60 + Number(match[2]);
}
