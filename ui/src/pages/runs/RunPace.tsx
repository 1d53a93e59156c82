import { useTranslation } from 'react-i18next';
import type { RunPace as Pace } from '../../api/types';
import { useFormat } from '../../lib/format';
import { useNow } from './use-now';

/** A pace as people read it: whole numbers from 10 up, one decimal below ("2.5", "24"). */
const rounded = (n: number) => (n >= 10 ? Math.round(n) : Math.round(n * 10) / 10);

/** "24 rows/s", "1 row/s", "2,5 рядка/с": rows per second in the person's language. */
export function useRowsPerSecond() {
  const { t } = useTranslation('runs');
  const { number } = useFormat();
  return (rowsPerSecond: number) => {
    const n = rounded(rowsPerSecond);
    return t('pace.rowsPerSecond', { count: n, n: number(n) });
  };
}

/**
 * A running run's pace: "24 rows/s · Stripe limit 25/s". After a 429 the account's pacer goes
 * slower for a while, which is normal and fails no row; the note says so, with when it will be back
 * at full speed (counted down from the server's estimate).
 */
export function RunPace({ pace }: { pace: Pace }) {
  const { t } = useTranslation('runs');
  const { number, locale } = useFormat();
  const rowsPerSecond = useRowsPerSecond();
  const now = useNow(1000);
  const seconds = pace.backingOffUntil ? Math.ceil((Date.parse(pace.backingOffUntil) - now) / 1000) : 0;
  const rate = number(rounded(pace.rate ?? pace.limit));
  return (
    <div className="run-pace small" data-pace={pace.backingOff ? 'backing-off' : 'full'}>
      <p className="run-pace__line">{t('pace.line', { rows: rowsPerSecond(pace.rowsPerSecond), limit: number(pace.limit) })}</p>
      {pace.backingOff && (
        <p className="run-pace__note muted">
          {seconds > 0
            ? t('pace.backingOff', {
                rate,
                seconds: new Intl.NumberFormat(locale, { style: 'unit', unit: 'second', unitDisplay: 'short' }).format(seconds),
              })
            : t('pace.backingOffEnding', { rate })}{' '}
          {t('pace.normal')}
        </p>
      )}
    </div>
  );
}
