import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSchedule, type Schedule, type Weekday } from './schedule.js';

const EVERY_DAY: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

describe('parseSchedule', () => {
  const cases: Array<[input: unknown, schedule: Schedule]> = [
    [{ kind: 'off' }, { kind: 'off' }],
    [
      { kind: 'interval', minutes: 1 },
      { kind: 'interval', minutes: 1 },
    ],
    [
      { kind: 'interval', minutes: 60 },
      { kind: 'interval', minutes: 60 },
    ],
    [
      { kind: 'interval', minutes: 10080 },
      { kind: 'interval', minutes: 10080 },
    ],
    [
      { kind: 'times', times: ['09:00'], timezone: 'America/New_York' },
      { kind: 'times', times: ['09:00'], timezone: 'America/New_York', days: EVERY_DAY },
    ],
    [
      { kind: 'times', times: ['09:00'] },
      { kind: 'times', times: ['09:00'], timezone: 'Europe/Kyiv', days: EVERY_DAY },
    ],
    [
      { kind: 'times', times: ['17:30', '00:00', '09:00', '17:30', '23:59'], days: ['fri', 'mon', 'fri'], timezone: 'UTC' },
      { kind: 'times', times: ['00:00', '09:00', '17:30', '23:59'], timezone: 'UTC', days: ['mon', 'fri'] },
    ],
    [
      { kind: 'times', times: Array.from({ length: 48 }, (_, i) => halfHour(i)), timezone: 'Etc/UTC', days: ['sun'] },
      { kind: 'times', times: Array.from({ length: 48 }, (_, i) => halfHour(i)), timezone: 'Etc/UTC', days: ['sun'] },
    ],
    [
      { kind: 'times', times: [...Array.from({ length: 48 }, (_, i) => halfHour(i)), '00:00', '12:00'], timezone: 'UTC' },
      { kind: 'times', times: Array.from({ length: 48 }, (_, i) => halfHour(i)), timezone: 'UTC', days: EVERY_DAY },
    ],
    [
      { kind: 'after', connectionId: 'con_1' },
      { kind: 'after', connectionId: 'con_1', on: 'success' },
    ],
    [
      { kind: 'after', connectionId: 'con_1', on: 'any' },
      { kind: 'after', connectionId: 'con_1', on: 'any' },
    ],
  ];
  for (const [input, schedule] of cases) {
    it(`parses ${JSON.stringify(input).slice(0, 100)}`, () => {
      const parsed = parseSchedule(input, 'Europe/Kyiv');
      assert.deepEqual(parsed, { ok: true, value: schedule });
      // The parsed form is the stored form: parsing it again changes nothing, whatever the server's zone.
      assert.deepEqual(parseSchedule(schedule, 'America/New_York'), parsed);
    });
  }

  const errors: Array<[input: unknown, error: string]> = [
    [{ kind: 'times', times: ['09:00', '25:00'] }, 'schedule.times[1]: "25:00" is not a time; use HH:MM from 00:00 to 23:59'],
    [{ kind: 'times', times: ['9:00'] }, 'schedule.times[0]: "9:00" is not a time; use HH:MM from 00:00 to 23:59'],
    [{ kind: 'times', times: ['24:00'] }, 'schedule.times[0]: "24:00" is not a time; use HH:MM from 00:00 to 23:59'],
    [{ kind: 'times', times: ['12:60'] }, 'schedule.times[0]: "12:60" is not a time; use HH:MM from 00:00 to 23:59'],
    [{ kind: 'times', times: ['09:00:00'] }, 'schedule.times[0]: "09:00:00" is not a time; use HH:MM from 00:00 to 23:59'],
    [{ kind: 'times', times: [900] }, 'schedule.times[0]: 900 is not a time; use HH:MM from 00:00 to 23:59'],
    [{ kind: 'times', times: ['09:00'], timezone: 'Kyiv' }, 'schedule.timezone: "Kyiv" is not an IANA time zone such as Europe/Kyiv'],
    [{ kind: 'times', times: ['09:00'], timezone: '+03:00' }, 'schedule.timezone: "+03:00" is not an IANA time zone such as Europe/Kyiv'],
    [{ kind: 'times', times: ['09:00'], timezone: '' }, 'schedule.timezone: "" is not an IANA time zone such as Europe/Kyiv'],
    [{ kind: 'times', times: ['09:00'], timezone: null }, 'schedule.timezone: null is not an IANA time zone such as Europe/Kyiv'],
    [
      { kind: 'times', times: ['09:00'], days: ['monday'] },
      'schedule.days[0]: "monday" is not a day; use mon, tue, wed, thu, fri, sat or sun',
    ],
    [
      { kind: 'times', times: ['09:00'], days: ['mon', 'Tue'] },
      'schedule.days[1]: "Tue" is not a day; use mon, tue, wed, thu, fri, sat or sun',
    ],
    [
      { kind: 'times', times: ['09:00'], days: 'mon' },
      'schedule.days: "mon" is not a list of days; use mon, tue, wed, thu, fri, sat or sun, such as ["mon", "fri"]',
    ],
    [{ kind: 'times', times: ['09:00'], days: [] }, 'schedule.days: [] is empty; list at least one day, or leave days out for every day'],
    [{ kind: 'times' }, 'schedule.times: is required; use 1 to 48 times as ["HH:MM", …]'],
    [{ kind: 'times', times: [] }, 'schedule.times: [] is empty; use 1 to 48 times as ["HH:MM", …]'],
    [{ kind: 'times', times: '09:00' }, 'schedule.times: "09:00" is not a list of times; use 1 to 48 times as ["HH:MM", …]'],
    [
      { kind: 'times', times: [...Array.from({ length: 48 }, (_, i) => halfHour(i)), '23:59'] },
      'schedule.times: ["00:00","00:30","01:00","01:30","02:00","02:30","03:00","03:30","04:00","04:30"… has 49 different times; use 1 to 48 times as ["HH:MM", …]',
    ],
    [{ kind: 'interval', minutes: 0 }, 'schedule.minutes: 0 is not an interval; use a whole number of minutes from 1 to 10080 (7 days)'],
    [{ kind: 'interval', minutes: -5 }, 'schedule.minutes: -5 is not an interval; use a whole number of minutes from 1 to 10080 (7 days)'],
    [
      { kind: 'interval', minutes: 1.5 },
      'schedule.minutes: 1.5 is not an interval; use a whole number of minutes from 1 to 10080 (7 days)',
    ],
    [
      { kind: 'interval', minutes: 10081 },
      'schedule.minutes: 10081 is not an interval; use a whole number of minutes from 1 to 10080 (7 days)',
    ],
    [
      { kind: 'interval', minutes: '60' },
      'schedule.minutes: "60" is not an interval; use a whole number of minutes from 1 to 10080 (7 days)',
    ],
    [{ kind: 'interval' }, 'schedule.minutes: is required; use a whole number of minutes from 1 to 10080 (7 days)'],
    [{ kind: 'after' }, 'schedule.connectionId: is required; use the id of the connection to run after'],
    [{ kind: 'after', connectionId: ' ' }, 'schedule.connectionId: " " is not a connection id; use the id of the connection to run after'],
    [{ kind: 'after', connectionId: 'c', on: 'failure' }, 'schedule.on: "failure" is not a run outcome; use success or any'],
    [{}, 'schedule.kind: is required; use off, interval, times or after'],
    [{ kind: 'cron' }, 'schedule.kind: "cron" is not a kind of schedule; use off, interval, times or after'],
    [{ kind: 'Interval', minutes: 5 }, 'schedule.kind: "Interval" is not a kind of schedule; use off, interval, times or after'],
    [null, 'schedule: null is not a schedule; use an object such as {"kind": "interval", "minutes": 60}'],
    ['hourly', 'schedule: "hourly" is not a schedule; use an object such as {"kind": "interval", "minutes": 60}'],
    [undefined, 'schedule: is required; use an object such as {"kind": "interval", "minutes": 60}'],
    [{ kind: 'off', minutes: 5 }, 'schedule: unknown field "minutes"; an off schedule has only kind'],
    [
      { kind: 'times', times: ['09:00'], timzone: 'UTC', at: 1 },
      'schedule: unknown fields "timzone", "at"; a times schedule has kind, times, timezone and days',
    ],
    [{ kind: 'interval', minutes: 5, on: 'any' }, 'schedule: unknown field "on"; an interval schedule has kind and minutes'],
    [
      { kind: 'times', times: ['25:00', '09:00', 'noon'], timezone: 'Kyiv', days: ['monday'] },
      'schedule.times[0]: "25:00" is not a time; use HH:MM from 00:00 to 23:59; ' +
        'schedule.times[2]: "noon" is not a time; use HH:MM from 00:00 to 23:59; ' +
        'schedule.timezone: "Kyiv" is not an IANA time zone such as Europe/Kyiv; ' +
        'schedule.days[0]: "monday" is not a day; use mon, tue, wed, thu, fri, sat or sun',
    ],
  ];
  for (const [input, error] of errors) {
    it(`refuses ${JSON.stringify(input)?.slice(0, 100)}`, () =>
      assert.deepEqual(parseSchedule(input, 'Europe/Kyiv'), { ok: false, error }));
  }

  it('needs a time zone when the server’s default is not one', () => {
    assert.deepEqual(parseSchedule({ kind: 'times', times: ['09:00'] }, 'Kyiv'), {
      ok: false,
      error: 'schedule.timezone: is required, because the server\'s time zone "Kyiv" is not an IANA time zone such as Europe/Kyiv',
    });
    assert.equal(parseSchedule({ kind: 'times', times: ['09:00'], timezone: 'UTC' }, 'Kyiv').ok, true);
    assert.equal(parseSchedule({ kind: 'interval', minutes: 5 }, 'Kyiv').ok, true);
  });
});

function halfHour(i: number): string {
  return `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 === 0 ? '00' : '30'}`;
}
