import { useTranslation } from 'react-i18next';
import type { Connection, Schedule } from '../../api/types';
import { useFormat } from '../../lib/format';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const WEEKDAYS = DAYS.slice(0, 5);

/** 2024-01-01 was a Monday: the day names come from Intl in the person's language. */
const MONDAY = Date.UTC(2024, 0, 1, 12);

/** A schedule in one short sentence: "Every 15 minutes", "Mon, Fri at 09:00, 18:00", "After “Orders” succeeds". */
export function useScheduleSummary(connections: readonly Pick<Connection, 'id' | 'name'>[] = []) {
  const { t } = useTranslation('dashboard');
  const { locale } = useFormat();
  const dayName = (d: string) => {
    const i = (DAYS as readonly string[]).indexOf(d);
    if (i < 0) return d;
    return new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(MONDAY + i * 86_400_000));
  };
  const list = (items: string[]) => new Intl.ListFormat(locale, { style: 'short', type: 'unit' }).format(items);

  return (schedule: Schedule): string => {
    switch (schedule.kind) {
      case 'off':
        return t('schedule.off');
      case 'interval': {
        const m = schedule.minutes;
        // "Every hour" rather than "every 1 hour"; the plural forms are for the other counts.
        if (m === 1440) return t('schedule.everyDay');
        if (m % 1440 === 0) return t('schedule.everyDays', { count: m / 1440 });
        if (m === 60) return t('schedule.everyHour');
        if (m % 60 === 0) return t('schedule.everyHours', { count: m / 60 });
        if (m === 1) return t('schedule.everyMinute');
        return t('schedule.everyMinutes', { count: m });
      }
      case 'times': {
        const o = { times: list(schedule.times), timezone: schedule.timezone };
        const days = schedule.days ?? [];
        if (days.length === 0 || days.length === 7) return t('schedule.daily', o);
        if (days.length === 5 && WEEKDAYS.every((d) => days.includes(d))) return t('schedule.weekdays', o);
        const ordered = DAYS.filter((d) => days.includes(d));
        return t('schedule.onDays', { ...o, days: list(ordered.map(dayName)) });
      }
      case 'after': {
        const name = connections.find((c) => c.id === schedule.connectionId)?.name;
        if (name === undefined) return t('schedule.afterDeleted');
        return schedule.on === 'any' ? t('schedule.afterAny', { name }) : t('schedule.afterSuccess', { name });
      }
    }
  };
}
