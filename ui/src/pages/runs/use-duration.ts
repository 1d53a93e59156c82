import { useFormat } from '../../lib/format';

/** How long a run took, in the person's language: "4.2 sec", "3 min 5 sec", "1 hr 2 min". */
export function useDuration() {
  const { locale } = useFormat();
  const unit = (n: number, u: 'second' | 'minute' | 'hour') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: u === 'second' ? 1 : 0 }).format(
      n,
    );
  return (startedAt: string | null, finishedAt: string | null, now = Date.now()): string | null => {
    if (!startedAt) return null;
    const ms = Math.max(0, (finishedAt ? new Date(finishedAt).getTime() : now) - new Date(startedAt).getTime());
    const seconds = ms / 1000;
    if (seconds < 10) return unit(Math.round(seconds * 10) / 10, 'second');
    if (seconds < 60) return unit(Math.round(seconds), 'second');
    const whole = Math.round(seconds);
    const minutes = Math.floor(whole / 60);
    if (minutes < 60) return `${unit(minutes, 'minute')} ${unit(whole % 60, 'second')}`;
    return `${unit(Math.floor(minutes / 60), 'hour')} ${unit(minutes % 60, 'minute')}`;
  };
}
