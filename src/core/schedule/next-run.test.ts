import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstRunAfterSave, latestSlotAtOrBefore, localIso, nextRunAfter, slotsBetween, upcomingRuns } from './next-run.js';
import { parseSchedule, type Schedule, type Weekday } from './schedule.js';

const KYIV = 'Europe/Kyiv';
const NY = 'America/New_York';

function parsed(input: unknown): Schedule {
  const result = parseSchedule(input, 'UTC');
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

const times = (list: string[], timezone: string, days?: Weekday[]): Schedule => parsed({ kind: 'times', times: list, timezone, days });
const every = (minutes: number): Schedule => parsed({ kind: 'interval', minutes });
const zoneOf = (s: Schedule): string => (s.kind === 'times' ? s.timezone : 'UTC');
/** A date as the schedule's zone writes it, so that expectations read as wall times with their offsets. */
const local = (d: Date | undefined, zone: string): string | undefined => (d === undefined ? undefined : localIso(d, zone));

// 2026-06-10 is a Wednesday; Kyiv is on +03:00 in summer, +02:00 in winter.
describe('firstRunAfterSave: the 5-minute rule', () => {
  const cases: Array<[name: string, schedule: Schedule, savedAt: string, first: string]> = [
    ['12:10 saved at 12:08 starts tomorrow', times(['12:10'], KYIV), '2026-06-10T12:08:00+03:00', '2026-06-11T12:10:00.000+03:00'],
    ['12:20 saved at 12:13 runs today', times(['12:20'], KYIV), '2026-06-10T12:13:00+03:00', '2026-06-10T12:20:00.000+03:00'],
    ['exactly 5 minutes ahead runs today', times(['12:10'], KYIV), '2026-06-10T12:05:00.000+03:00', '2026-06-10T12:10:00.000+03:00'],
    ['4:59 ahead starts tomorrow', times(['12:10'], KYIV), '2026-06-10T12:05:01+03:00', '2026-06-11T12:10:00.000+03:00'],
    ['4:59.999 ahead starts tomorrow', times(['12:10'], KYIV), '2026-06-10T12:05:00.001+03:00', '2026-06-11T12:10:00.000+03:00'],
    ['saved at the time itself starts tomorrow', times(['12:10'], KYIV), '2026-06-10T12:10:00+03:00', '2026-06-11T12:10:00.000+03:00'],
    ['a time already past starts tomorrow', times(['12:10'], KYIV), '2026-06-10T15:00:00+03:00', '2026-06-11T12:10:00.000+03:00'],
    [
      'across midnight: 00:02 saved at 23:58 skips tomorrow’s',
      times(['00:02'], KYIV),
      '2026-06-10T23:58:00+03:00',
      '2026-06-12T00:02:00.000+03:00',
    ],
    [
      'across midnight: 00:03 saved at 23:58 is exactly 5',
      times(['00:03'], KYIV),
      '2026-06-10T23:58:00+03:00',
      '2026-06-11T00:03:00.000+03:00',
    ],
    ['across midnight: 00:10 saved at 23:58', times(['00:10'], KYIV), '2026-06-10T23:58:00+03:00', '2026-06-11T00:10:00.000+03:00'],
    [
      'only the time too close moves: 18:00 still today',
      times(['09:00', '12:10', '18:00'], KYIV),
      '2026-06-10T12:08:00+03:00',
      '2026-06-10T18:00:00.000+03:00',
    ],
    ['several times, none left today', times(['09:00', '12:10'], KYIV), '2026-06-10T12:08:00+03:00', '2026-06-11T09:00:00.000+03:00'],
    [
      'several times, the next one far enough',
      times(['12:10', '12:15'], KYIV),
      '2026-06-10T12:09:00+03:00',
      '2026-06-10T12:15:00.000+03:00',
    ],
    [
      'weekdays: too close on Friday goes to Monday',
      times(['12:10'], KYIV, ['mon', 'tue', 'wed', 'thu', 'fri']),
      '2026-06-12T12:08:00+03:00',
      '2026-06-15T12:10:00.000+03:00',
    ],
    [
      'weekdays: saved on Saturday runs Monday',
      times(['09:00'], KYIV, ['mon', 'tue', 'wed', 'thu', 'fri']),
      '2026-06-13T08:00:00+03:00',
      '2026-06-15T09:00:00.000+03:00',
    ],
    [
      'Mondays only: too close on a Monday goes to the next',
      times(['12:10'], KYIV, ['mon']),
      '2026-06-15T12:08:00+03:00',
      '2026-06-22T12:10:00.000+03:00',
    ],
    ['New York', times(['12:10'], NY), '2026-06-10T12:08:00-04:00', '2026-06-11T12:10:00.000-04:00'],
    // 01:58 EST + 5 minutes is 03:03 EDT: 03:02 is 64 minutes ahead on the clock but 4 minutes in fact.
    ['absolute minutes on a spring-forward day', times(['03:02'], NY), '2026-03-08T01:58:00-05:00', '2026-03-09T03:02:00.000-04:00'],
    [
      'absolute minutes on a spring-forward day, 5 exactly',
      times(['03:03'], NY),
      '2026-03-08T01:58:00-05:00',
      '2026-03-08T03:03:00.000-04:00',
    ],
    ['a time in the skipped hour, saved just before', times(['03:30'], KYIV), '2026-03-29T02:50:00+02:00', '2026-03-29T04:30:00.000+03:00'],
  ];
  for (const [name, schedule, savedAt, first] of cases) {
    it(name, () => assert.equal(local(firstRunAfterSave(schedule, new Date(savedAt)), zoneOf(schedule)), first));
  }

  it('an interval first runs N minutes after saving', () => {
    assert.equal(firstRunAfterSave(every(60), new Date('2026-06-10T12:08:00Z'))?.toISOString(), '2026-06-10T13:08:00.000Z');
    assert.equal(firstRunAfterSave(every(1), new Date('2026-06-10T12:08:00Z'))?.toISOString(), '2026-06-10T12:09:00.000Z');
  });

  it('off and after have no first run', () => {
    assert.equal(firstRunAfterSave(parsed({ kind: 'off' }), new Date('2026-06-10T12:08:00Z')), undefined);
    assert.equal(firstRunAfterSave(parsed({ kind: 'after', connectionId: 'c' }), new Date('2026-06-10T12:08:00Z')), undefined);
  });
});

describe('nextRunAfter: intervals count absolute time', () => {
  const cases: Array<[name: string, minutes: number, zone: string, after: string, next: string]> = [
    ['1 minute', 1, 'UTC', '2026-06-10T12:00:00.000Z', '2026-06-10T12:01:00.000Z'],
    ['90 minutes', 90, 'UTC', '2026-06-10T23:00:00.000Z', '2026-06-11T00:30:00.000Z'],
    ['24 hours', 1440, 'UTC', '2026-06-10T12:34:56.789Z', '2026-06-11T12:34:56.789Z'],
    ['7 days', 10080, 'UTC', '2026-06-10T12:00:00.000Z', '2026-06-17T12:00:00.000Z'],
    ['24 hours across spring forward, New York', 1440, NY, '2026-03-07T12:00:00-05:00', '2026-03-08T13:00:00.000-04:00'],
    ['24 hours across fall back, New York', 1440, NY, '2026-10-31T12:00:00-04:00', '2026-11-01T11:00:00.000-05:00'],
    ['24 hours across spring forward, Kyiv', 1440, KYIV, '2026-03-28T12:00:00+02:00', '2026-03-29T13:00:00.000+03:00'],
    ['24 hours across fall back, Kyiv', 1440, KYIV, '2026-10-24T12:00:00+03:00', '2026-10-25T11:00:00.000+02:00'],
    ['1 hour over the skipped hour, New York', 60, NY, '2026-03-08T01:30:00-05:00', '2026-03-08T03:30:00.000-04:00'],
    ['1 hour into the repeated hour, New York', 60, NY, '2026-11-01T01:30:00-04:00', '2026-11-01T01:30:00.000-05:00'],
    ['1 hour over the skipped hour, Kyiv', 60, KYIV, '2026-03-29T02:30:00+02:00', '2026-03-29T04:30:00.000+03:00'],
    ['1 hour into the repeated hour, Kyiv', 60, KYIV, '2026-10-25T03:30:00+03:00', '2026-10-25T03:30:00.000+02:00'],
    ['15 minutes through the repeated hour, Kyiv', 15, KYIV, '2026-10-25T03:50:00+03:00', '2026-10-25T03:05:00.000+02:00'],
  ];
  for (const [name, minutes, zone, after, next] of cases) {
    it(name, () => {
      const found = nextRunAfter(every(minutes), new Date(after));
      assert.equal(local(found, zone), next);
      assert.equal(found?.getTime(), new Date(after).getTime() + minutes * 60_000);
    });
  }
});

describe('nextRunAfter: times across daylight saving', () => {
  // New York: 2026-03-08 02:00 EST → 03:00 EDT, 2026-11-01 02:00 EDT → 01:00 EST.
  // Kyiv: 2026-03-29 03:00 EET → 04:00 EEST, 2026-10-25 04:00 EEST → 03:00 EET.
  const cases: Array<[name: string, schedule: Schedule, after: string, next: string, utc?: string]> = [
    [
      'skipped hour runs once at the shifted time, New York',
      times(['02:30'], NY),
      '2026-03-07T12:00:00-05:00',
      '2026-03-08T03:30:00.000-04:00',
      '2026-03-08T07:30:00.000Z',
    ],
    [
      'and the next day is back to 02:30, New York',
      times(['02:30'], NY),
      '2026-03-08T03:30:00-04:00',
      '2026-03-09T02:30:00.000-04:00',
      '2026-03-09T06:30:00.000Z',
    ],
    [
      'skipped hour runs once at the shifted time, Kyiv',
      times(['03:30'], KYIV),
      '2026-03-28T12:00:00+02:00',
      '2026-03-29T04:30:00.000+03:00',
      '2026-03-29T01:30:00.000Z',
    ],
    [
      'the first minute skipped, Kyiv',
      times(['03:00'], KYIV),
      '2026-03-28T12:00:00+02:00',
      '2026-03-29T04:00:00.000+03:00',
      '2026-03-29T01:00:00.000Z',
    ],
    [
      'and the next day is back to 03:30, Kyiv',
      times(['03:30'], KYIV),
      '2026-03-29T04:30:00+03:00',
      '2026-03-30T03:30:00.000+03:00',
      '2026-03-30T00:30:00.000Z',
    ],
    [
      'repeated hour runs at the first 01:30, New York',
      times(['01:30'], NY),
      '2026-10-31T12:00:00-04:00',
      '2026-11-01T01:30:00.000-04:00',
      '2026-11-01T05:30:00.000Z',
    ],
    [
      'not again at the second 01:30, New York',
      times(['01:30'], NY),
      '2026-11-01T01:30:00-04:00',
      '2026-11-02T01:30:00.000-05:00',
      '2026-11-02T06:30:00.000Z',
    ],
    [
      'repeated hour runs at the first 03:30, Kyiv',
      times(['03:30'], KYIV),
      '2026-10-24T12:00:00+03:00',
      '2026-10-25T03:30:00.000+03:00',
      '2026-10-25T00:30:00.000Z',
    ],
    [
      'not again at the second 03:30, Kyiv',
      times(['03:30'], KYIV),
      '2026-10-25T03:30:00+03:00',
      '2026-10-26T03:30:00.000+02:00',
      '2026-10-26T01:30:00.000Z',
    ],
    [
      'the hour after the repeated one is not repeated, Kyiv',
      times(['04:00'], KYIV),
      '2026-10-24T12:00:00+03:00',
      '2026-10-25T04:00:00.000+02:00',
      '2026-10-25T02:00:00.000Z',
    ],
    [
      'a normal time on the spring-forward day, New York',
      times(['12:00'], NY),
      '2026-03-08T00:00:00-05:00',
      '2026-03-08T12:00:00.000-04:00',
      '2026-03-08T16:00:00.000Z',
    ],
    [
      'a normal time the day before, New York',
      times(['12:00'], NY),
      '2026-03-07T00:00:00-05:00',
      '2026-03-07T12:00:00.000-05:00',
      '2026-03-07T17:00:00.000Z',
    ],
    [
      'a normal time on the fall-back day, New York',
      times(['12:00'], NY),
      '2026-11-01T00:00:00-04:00',
      '2026-11-01T12:00:00.000-05:00',
      '2026-11-01T17:00:00.000Z',
    ],
    [
      'a normal time on the spring-forward day, Kyiv',
      times(['12:00'], KYIV),
      '2026-03-29T00:00:00+02:00',
      '2026-03-29T12:00:00.000+03:00',
      '2026-03-29T09:00:00.000Z',
    ],
    [
      'a normal time on the fall-back day, Kyiv',
      times(['12:00'], KYIV),
      '2026-10-25T00:00:00+03:00',
      '2026-10-25T12:00:00.000+02:00',
      '2026-10-25T10:00:00.000Z',
    ],
    [
      'a time just before the skipped hour, New York',
      times(['01:59'], NY),
      '2026-03-08T00:00:00-05:00',
      '2026-03-08T01:59:00.000-05:00',
      '2026-03-08T06:59:00.000Z',
    ],
    ['strictly after: a slot at `after` is not next', times(['09:00'], KYIV), '2026-06-10T09:00:00+03:00', '2026-06-11T09:00:00.000+03:00'],
    ['one millisecond before a slot', times(['09:00'], KYIV), '2026-06-10T08:59:59.999+03:00', '2026-06-10T09:00:00.000+03:00'],
    [
      'after midnight, the first time of the day',
      times(['00:00', '23:59'], KYIV),
      '2026-06-10T23:59:00+03:00',
      '2026-06-11T00:00:00.000+03:00',
    ],
  ];
  for (const [name, schedule, after, next, utc] of cases) {
    it(name, () => {
      const found = nextRunAfter(schedule, new Date(after));
      assert.equal(local(found, zoneOf(schedule)), next);
      if (utc !== undefined) assert.equal(found?.toISOString(), utc);
    });
  }

  it('off and after have no next run', () => {
    assert.equal(nextRunAfter(parsed({ kind: 'off' }), new Date('2026-06-10T12:00:00Z')), undefined);
    assert.equal(nextRunAfter(parsed({ kind: 'after', connectionId: 'c', on: 'any' }), new Date('2026-06-10T12:00:00Z')), undefined);
  });
});

describe('upcomingRuns across daylight saving', () => {
  const cases: Array<[name: string, schedule: Schedule, from: string, runs: string[]]> = [
    [
      'two times landing on one instant run once, New York',
      times(['01:30', '02:30', '03:30'], NY),
      '2026-03-07T12:00:00-05:00',
      [
        '2026-03-08T01:30:00.000-05:00',
        '2026-03-08T03:30:00.000-04:00',
        '2026-03-09T01:30:00.000-04:00',
        '2026-03-09T02:30:00.000-04:00',
        '2026-03-09T03:30:00.000-04:00',
      ],
    ],
    [
      'a shifted time that overtakes a later one keeps time order, New York',
      times(['02:30', '03:15'], NY),
      '2026-03-07T12:00:00-05:00',
      ['2026-03-08T03:15:00.000-04:00', '2026-03-08T03:30:00.000-04:00', '2026-03-09T02:30:00.000-04:00', '2026-03-09T03:15:00.000-04:00'],
    ],
    [
      'the repeated hour once, New York',
      times(['00:30', '01:30', '02:30'], NY),
      '2026-10-31T12:00:00-04:00',
      [
        '2026-11-01T00:30:00.000-04:00',
        '2026-11-01T01:30:00.000-04:00',
        '2026-11-01T02:30:00.000-05:00',
        '2026-11-02T00:30:00.000-05:00',
        '2026-11-02T01:30:00.000-05:00',
      ],
    ],
    [
      'two skipped times land on one instant, Kyiv',
      times(['03:00', '04:00'], KYIV),
      '2026-03-28T12:00:00+02:00',
      ['2026-03-29T04:00:00.000+03:00', '2026-03-30T03:00:00.000+03:00', '2026-03-30T04:00:00.000+03:00'],
    ],
    [
      'the repeated hour once, Kyiv',
      times(['03:00', '03:30', '04:00'], KYIV),
      '2026-10-24T12:00:00+03:00',
      [
        '2026-10-25T03:00:00.000+03:00',
        '2026-10-25T03:30:00.000+03:00',
        '2026-10-25T04:00:00.000+02:00',
        '2026-10-26T03:00:00.000+02:00',
        '2026-10-26T03:30:00.000+02:00',
      ],
    ],
    [
      'Sundays across spring forward, New York',
      times(['02:30'], NY, ['sun']),
      '2026-03-01T12:00:00-05:00',
      ['2026-03-08T03:30:00.000-04:00', '2026-03-15T02:30:00.000-04:00', '2026-03-22T02:30:00.000-04:00'],
    ],
    [
      'Sundays across fall back, Kyiv',
      times(['03:30'], KYIV, ['sun']),
      '2026-10-18T12:00:00+03:00',
      ['2026-10-25T03:30:00.000+03:00', '2026-11-01T03:30:00.000+02:00', '2026-11-08T03:30:00.000+02:00'],
    ],
    [
      'Saturdays and Mondays around the change, New York',
      times(['12:00'], NY, ['sat', 'mon']),
      '2026-03-06T12:00:00-05:00',
      ['2026-03-07T12:00:00.000-05:00', '2026-03-09T12:00:00.000-04:00', '2026-03-14T12:00:00.000-04:00'],
    ],
    [
      'Fridays and Mondays around the change, Kyiv',
      times(['09:00'], KYIV, ['mon', 'fri']),
      '2026-10-23T10:00:00+03:00',
      ['2026-10-26T09:00:00.000+02:00', '2026-10-30T09:00:00.000+02:00', '2026-11-02T09:00:00.000+02:00'],
    ],
    [
      'a change at midnight: 00:30 skipped, America/Santiago',
      times(['00:30', '01:15'], 'America/Santiago'),
      '2026-09-05T12:00:00-04:00',
      ['2026-09-06T01:15:00.000-03:00', '2026-09-06T01:30:00.000-03:00', '2026-09-07T00:30:00.000-03:00'],
    ],
    [
      'a change at midnight: 23:30 of the day before repeated, America/Santiago',
      times(['23:30', '00:30'], 'America/Santiago'),
      '2026-04-04T12:00:00-03:00',
      ['2026-04-04T23:30:00.000-03:00', '2026-04-05T00:30:00.000-04:00', '2026-04-05T23:30:00.000-04:00'],
    ],
    [
      'a half-hour change, Australia/Lord_Howe',
      times(['02:15'], 'Australia/Lord_Howe'),
      '2026-10-03T12:00:00+10:30',
      ['2026-10-04T02:45:00.000+11:00', '2026-10-05T02:15:00.000+11:00'],
    ],
    [
      'a whole day skipped: 2011-12-30 never happened, Pacific/Apia',
      times(['10:00'], 'Pacific/Apia'),
      '2011-12-28T12:00:00-10:00',
      ['2011-12-29T10:00:00.000-10:00', '2011-12-31T10:00:00.000+14:00', '2012-01-01T10:00:00.000+14:00'],
    ],
  ];
  for (const [name, schedule, from, runs] of cases) {
    it(name, () => {
      const found = upcomingRuns(schedule, { from: new Date(from), count: runs.length });
      assert.deepEqual(
        found.map((d) => localIso(d, zoneOf(schedule))),
        runs,
      );
    });
  }
});

describe('upcomingRuns', () => {
  const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString());
  const from = new Date('2026-06-10T09:08:00Z');

  it('lists up to 500, in order, all after from', () => {
    for (const schedule of [times(['00:00', '12:00'], KYIV), times(['09:00'], NY, ['mon']), every(1), every(10080)]) {
      const runs = upcomingRuns(schedule, { from, count: 500 });
      assert.equal(runs.length, 500);
      assert.ok(runs.every((run, i) => run > from && (i === 0 || run > (runs[i - 1] as Date))));
    }
    // Monday 2026-06-15 and 499 weeks after it, a winter Monday: 09:00 EST.
    const weekly = upcomingRuns(times(['09:00'], NY, ['mon']), { from, count: 500 });
    assert.equal(weekly.at(-1)?.toISOString(), '2036-01-07T14:00:00.000Z');
  });

  const counts: Array<[count: number, length: number]> = [
    [1, 1],
    [2.7, 2],
    [500, 500],
    [501, 500],
    [10_000, 500],
    [0, 0],
    [-3, 0],
  ];
  for (const [count, length] of counts) {
    it(`count ${count} lists ${length}`, () => assert.equal(upcomingRuns(every(5), { from, count }).length, length));
  }

  const cases: Array<[name: string, schedule: Schedule, o: { savedAt?: string; first?: string; from: string }, runs: string[]]> = [
    [
      'times, from alone: the next slots',
      times(['12:10', '18:00'], KYIV),
      { from: '2026-06-10T12:08:00+03:00' },
      ['2026-06-10T09:10:00.000Z', '2026-06-10T15:00:00.000Z', '2026-06-11T09:10:00.000Z'],
    ],
    [
      'times, saved just now: the 5-minute rule',
      times(['12:10', '18:00'], KYIV),
      { savedAt: '2026-06-10T12:08:00+03:00', from: '2026-06-10T12:08:00+03:00' },
      ['2026-06-10T15:00:00.000Z', '2026-06-11T09:10:00.000Z', '2026-06-11T15:00:00.000Z'],
    ],
    [
      'times, saved long ago: the next slots, one exactly at from included',
      times(['12:10', '18:00'], KYIV),
      { savedAt: '2026-01-01T00:00:00Z', from: '2026-06-10T12:10:00+03:00' },
      ['2026-06-10T09:10:00.000Z', '2026-06-10T15:00:00.000Z', '2026-06-11T09:10:00.000Z'],
    ],
    [
      'times, from before the save: starts at the first run after the save',
      times(['12:10', '18:00'], KYIV),
      { savedAt: '2026-06-10T12:08:00+03:00', from: '2026-06-01T00:00:00Z' },
      ['2026-06-10T15:00:00.000Z', '2026-06-11T09:10:00.000Z', '2026-06-11T15:00:00.000Z'],
    ],
    [
      'times, a planned first run starts the list',
      times(['12:10', '18:00'], KYIV),
      { first: '2026-06-11T09:10:00Z', savedAt: '2026-06-10T12:08:00+03:00', from: '2026-06-10T12:08:00+03:00' },
      ['2026-06-11T09:10:00.000Z', '2026-06-11T15:00:00.000Z', '2026-06-12T09:10:00.000Z'],
    ],
    [
      'interval, from alone: from + N, + 2N, …',
      every(90),
      { from: '2026-06-10T10:00:00Z' },
      ['2026-06-10T11:30:00.000Z', '2026-06-10T13:00:00.000Z', '2026-06-10T14:30:00.000Z'],
    ],
    [
      'interval, saved earlier: the chain from the save, from `from` on',
      every(90),
      { savedAt: '2026-06-10T10:00:00Z', from: '2026-06-10T13:10:00Z' },
      ['2026-06-10T14:30:00.000Z', '2026-06-10T16:00:00.000Z', '2026-06-10T17:30:00.000Z'],
    ],
    [
      'interval, a run of the chain exactly at from is listed',
      every(90),
      { savedAt: '2026-06-10T10:00:00Z', from: '2026-06-10T13:00:00Z' },
      ['2026-06-10T13:00:00.000Z', '2026-06-10T14:30:00.000Z', '2026-06-10T16:00:00.000Z'],
    ],
    [
      'interval, saved just now',
      every(60),
      { savedAt: '2026-06-10T10:00:00Z', from: '2026-06-10T10:00:00Z' },
      ['2026-06-10T11:00:00.000Z', '2026-06-10T12:00:00.000Z', '2026-06-10T13:00:00.000Z'],
    ],
    [
      'interval, a planned first run starts the list',
      every(60),
      { first: '2026-06-10T10:20:00Z', from: '2026-06-10T10:00:00Z' },
      ['2026-06-10T10:20:00.000Z', '2026-06-10T11:20:00.000Z', '2026-06-10T12:20:00.000Z'],
    ],
    ['off', parsed({ kind: 'off' }), { savedAt: '2026-06-10T10:00:00Z', from: '2026-06-10T10:00:00Z' }, []],
    ['after', parsed({ kind: 'after', connectionId: 'c' }), { from: '2026-06-10T10:00:00Z' }, []],
  ];
  for (const [name, schedule, o, runs] of cases) {
    it(name, () => {
      const options = {
        from: new Date(o.from),
        count: 3,
        ...(o.savedAt !== undefined && { savedAt: new Date(o.savedAt) }),
        ...(o.first !== undefined && { first: new Date(o.first) }),
      };
      assert.deepEqual(iso(upcomingRuns(schedule, options)), runs);
    });
  }
});

describe('slotsBetween and latestSlotAtOrBefore: missed runs', () => {
  // 2026-06-08 is a Monday.
  const cases: Array<[name: string, schedule: Schedule, from: string, to: string, count: number]> = [
    ['two a day over two days and a bit', times(['09:00', '17:00'], KYIV), '2026-06-08T08:00:00+03:00', '2026-06-10T10:00:00+03:00', 5],
    [
      'a slot at from is not counted, one at to is',
      times(['09:00', '17:00'], KYIV),
      '2026-06-08T09:00:00+03:00',
      '2026-06-08T17:00:00+03:00',
      1,
    ],
    [
      'weekdays over a weekend',
      times(['09:00'], KYIV, ['mon', 'tue', 'wed', 'thu', 'fri']),
      '2026-06-12T10:00:00+03:00',
      '2026-06-15T08:00:00+03:00',
      0,
    ],
    [
      'a week of weekdays',
      times(['09:00'], KYIV, ['mon', 'tue', 'wed', 'thu', 'fri']),
      '2026-06-08T00:00:00+03:00',
      '2026-06-15T00:00:00+03:00',
      5,
    ],
    ['the repeated hour counts once', times(['01:30'], NY), '2026-10-31T12:00:00-04:00', '2026-11-02T12:00:00-05:00', 2],
    [
      'two times on one shifted instant count once',
      times(['02:30', '03:30'], NY),
      '2026-03-07T12:00:00-05:00',
      '2026-03-08T12:00:00-04:00',
      1,
    ],
    ['a year of one a day', times(['09:00'], KYIV), '2026-01-01T00:00:00+02:00', '2027-01-01T00:00:00+02:00', 365],
    ['to before from', times(['09:00'], KYIV), '2026-06-10T00:00:00Z', '2026-06-01T00:00:00Z', 0],
    ['interval: whole steps from from', every(60), '2026-06-10T10:00:00Z', '2026-06-10T13:00:00Z', 3],
    ['interval: a step short', every(60), '2026-06-10T10:00:00Z', '2026-06-10T12:59:59Z', 2],
    ['interval across fall back is absolute', every(60), '2026-11-01T00:00:00-04:00', '2026-11-01T03:00:00-05:00', 4],
    ['off', parsed({ kind: 'off' }), '2026-06-10T10:00:00Z', '2026-06-11T10:00:00Z', 0],
  ];
  for (const [name, schedule, from, to, count] of cases) {
    it(name, () => assert.equal(slotsBetween(schedule, new Date(from), new Date(to)), count));
  }

  const latest: Array<[name: string, schedule: Schedule, at: string, slot: string | undefined]> = [
    ['at a slot is that slot', times(['09:00', '17:00'], KYIV), '2026-06-10T17:00:00+03:00', '2026-06-10T17:00:00.000+03:00'],
    ['just before a slot is the one before', times(['09:00', '17:00'], KYIV), '2026-06-10T08:59:59+03:00', '2026-06-09T17:00:00.000+03:00'],
    ['Mondays only, from a Sunday', times(['09:00'], KYIV, ['mon']), '2026-06-14T12:00:00+03:00', '2026-06-08T09:00:00.000+03:00'],
    ['after both 03:30s of fall back, the first', times(['03:30'], KYIV), '2026-10-25T03:45:00+02:00', '2026-10-25T03:30:00.000+03:00'],
    ['after the skipped 02:30, its shifted time', times(['02:30'], NY), '2026-03-08T04:00:00-04:00', '2026-03-08T03:30:00.000-04:00'],
  ];
  for (const [name, schedule, at, slot] of latest) {
    it(name, () => assert.equal(local(latestSlotAtOrBefore(schedule, new Date(at)), zoneOf(schedule)), slot));
  }

  it('only times schedules have fixed slots', () => {
    assert.equal(latestSlotAtOrBefore(every(60), new Date('2026-06-10T10:00:00Z')), undefined);
    assert.equal(latestSlotAtOrBefore(parsed({ kind: 'off' }), new Date('2026-06-10T10:00:00Z')), undefined);
  });

  it('agrees with nextRunAfter', () => {
    const schedule = times(['01:30', '02:30', '03:30', '12:00'], NY, ['sat', 'sun']);
    let at = new Date('2026-03-01T00:00:00-05:00');
    for (let i = 0; i < 40; i += 1) {
      const next = nextRunAfter(schedule, at) as Date;
      assert.equal(latestSlotAtOrBefore(schedule, next)?.getTime(), next.getTime());
      if (i > 0) assert.equal(latestSlotAtOrBefore(schedule, new Date(next.getTime() - 1))?.getTime(), at.getTime());
      at = next;
    }
  });
});

describe('localIso', () => {
  const cases: Array<[iso: string, zone: string, local: string]> = [
    ['2026-01-15T10:00:00.000Z', KYIV, '2026-01-15T12:00:00.000+02:00'],
    ['2026-07-15T10:00:00.000Z', KYIV, '2026-07-15T13:00:00.000+03:00'],
    ['2026-03-29T01:30:00.000Z', KYIV, '2026-03-29T04:30:00.000+03:00'],
    ['2026-03-29T00:30:00.000Z', KYIV, '2026-03-29T02:30:00.000+02:00'],
    ['2026-10-25T00:30:00.000Z', KYIV, '2026-10-25T03:30:00.000+03:00'],
    ['2026-10-25T01:30:00.000Z', KYIV, '2026-10-25T03:30:00.000+02:00'],
    ['2026-01-15T17:00:00.000Z', NY, '2026-01-15T12:00:00.000-05:00'],
    ['2026-07-15T16:00:00.000Z', NY, '2026-07-15T12:00:00.000-04:00'],
    ['2026-03-08T07:30:00.000Z', NY, '2026-03-08T03:30:00.000-04:00'],
    ['2026-11-01T05:30:00.000Z', NY, '2026-11-01T01:30:00.000-04:00'],
    ['2026-11-01T06:30:00.000Z', NY, '2026-11-01T01:30:00.000-05:00'],
    ['2026-06-10T12:34:56.789Z', 'Asia/Kolkata', '2026-06-10T18:04:56.789+05:30'],
    ['2026-06-10T12:34:56.789Z', 'UTC', '2026-06-10T12:34:56.789Z'],
    ['2026-06-10T12:34:56.789Z', 'Etc/UTC', '2026-06-10T12:34:56.789Z'],
    ['2026-06-10T12:34:56.789Z', 'Europe/London', '2026-06-10T13:34:56.789+01:00'],
    ['2026-01-10T12:34:56.789Z', 'Europe/London', '2026-01-10T12:34:56.789+00:00'],
  ];
  for (const [iso, zone, expected] of cases) {
    it(`${iso} in ${zone}`, () => {
      assert.equal(localIso(new Date(iso), zone), expected);
      assert.equal(new Date(expected).toISOString(), iso);
    });
  }
});

describe('refusing what cannot be scheduled', () => {
  it('an invalid date', () => {
    assert.throws(() => nextRunAfter(every(5), new Date('nope')), { name: 'RangeError', message: 'after is not a valid date' });
    assert.throws(() => upcomingRuns(times(['09:00'], KYIV), { from: new Date(NaN), count: 3 }), RangeError);
  });

  it('a hand-made schedule with an unknown zone', () => {
    const schedule: Schedule = { kind: 'times', times: ['09:00'], timezone: 'Kyiv', days: ['mon'] };
    assert.throws(() => nextRunAfter(schedule, new Date('2026-06-10T00:00:00Z')), RangeError);
    assert.throws(() => localIso(new Date('2026-06-10T00:00:00Z'), 'Kyiv'), RangeError);
  });

  it('a hand-made schedule with no days has no runs', () => {
    const schedule: Schedule = { kind: 'times', times: ['09:00'], timezone: KYIV, days: [] };
    assert.equal(nextRunAfter(schedule, new Date('2026-06-10T00:00:00Z')), undefined);
    assert.deepEqual(upcomingRuns(schedule, { from: new Date('2026-06-10T00:00:00Z'), count: 5 }), []);
  });
});
