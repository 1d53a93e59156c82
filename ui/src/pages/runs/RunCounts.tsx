import { useTranslation } from 'react-i18next';
import type { RowStatus } from '../../api/types';
import { useFormat } from '../../lib/format';

const ORDER: RowStatus[] = ['sent', 'failed', 'skipped', 'pending'];

/** A run's rows by state, each with its word: "Sent 12 · Failed 1 · Skipped 0 · Pending 3". */
export function RunCounts({ counts }: { counts: Record<RowStatus, number> }) {
  const { t } = useTranslation('runs');
  const { number } = useFormat();
  return (
    <ul className="counts" aria-label={t('counts.label')}>
      {ORDER.map((s) => (
        <li key={s} className={`counts__item counts__item--${s}${counts[s] ? '' : ' counts__item--zero'}`} data-count={s}>
          <span className="counts__label">{t(`rowStatus.${s}`)}</span> <span className="counts__value">{number(counts[s] ?? 0)}</span>
        </li>
      ))}
    </ul>
  );
}
