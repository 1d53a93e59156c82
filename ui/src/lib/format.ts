import { useTranslation } from 'react-i18next';
import { THREE_DECIMAL, ZERO_DECIMAL } from '../../../src/core/currency';
import { LOCALES, type Language } from '../i18n/resources';

/** How many digits Stripe's smallest unit has after the point: the server's own table (src/core/currency.ts). */
export function minorUnitDigits(currency: string): number {
  const c = currency.toLowerCase();
  return ZERO_DECIMAL.has(c) ? 0 : THREE_DECIMAL.has(c) ? 3 : 2;
}

/** Dates, numbers and money in the language the person chose (Intl does the work). */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = LOCALES[(i18n.language as Language) in LOCALES ? (i18n.language as Language) : 'en'];
  return {
    locale,
    dateTime: (iso: string | null | undefined, timeZone?: string) =>
      iso
        ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone && { timeZone }) }).format(new Date(iso))
        : '—',
    date: (iso: string | null | undefined) => (iso ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso)) : '—'),
    /** "in 5 minutes", "3 hours ago" */
    relative: (iso: string | null | undefined, now = Date.now()) => {
      if (!iso) return '—';
      const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
      const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
      const abs = Math.abs(seconds);
      if (abs < 60) return rtf.format(seconds, 'second');
      if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
      if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
      return rtf.format(Math.round(seconds / 86400), 'day');
    },
    number: (n: number, digits?: number) =>
      new Intl.NumberFormat(locale, digits === undefined ? {} : { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n),
    /** An amount in the currency's smallest unit (Stripe's way), e.g. 1999 usd → $19.99, 500 jpy → ¥500. */
    money: (minor: number, currency: string) => {
      const digits = minorUnitDigits(currency);
      return new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: currency.toUpperCase(),
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(minor / 10 ** digits);
    },
  };
}
