import { useFormat } from '../../lib/format';

/**
 * Compact times for dense tables: "11/26/26, 7:52 PM" (26.11.26, 19:52), and only "7:53 PM" for a
 * time on the same day as `sameDayAs` (a run's end beside its start).
 */
export function useShortTime() {
  const { locale } = useFormat();
  return (iso: string | null | undefined, sameDayAs?: string | null): string => {
    if (!iso) return '—';
    const d = new Date(iso);
    const sameDay = sameDayAs && new Date(sameDayAs).toDateString() === d.toDateString();
    return new Intl.DateTimeFormat(locale, sameDay ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' }).format(d);
  };
}
