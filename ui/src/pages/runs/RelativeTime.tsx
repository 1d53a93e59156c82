import { useFormat } from '../../lib/format';
import { useNow } from './use-now';

/** "3 minutes ago", with the exact date and time as its tooltip and machine-readable value. */
export function RelativeTime({ iso }: { iso: string | null | undefined }) {
  const { dateTime, relative } = useFormat();
  const now = useNow();
  if (!iso) return <>—</>;
  return (
    <time dateTime={iso} title={dateTime(iso)}>
      {relative(iso, now)}
    </time>
  );
}
