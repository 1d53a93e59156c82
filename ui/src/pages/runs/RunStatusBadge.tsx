import { useTranslation } from 'react-i18next';
import type { RowStatus, RunStatus } from '../../api/types';
import { Badge } from '../../components/ui';

type Tone = Parameters<typeof Badge>[0]['tone'];

const RUN_TONE: Record<RunStatus, Tone> = { queued: 'neutral', running: 'info', succeeded: 'good', partial: 'warn', failed: 'bad' };
const ROW_TONE: Record<RowStatus, Tone> = { pending: 'info', sent: 'good', failed: 'bad', skipped: 'neutral' };

/** A run's status in words (never by colour alone). */
export function RunStatusBadge({ status }: { status: RunStatus }) {
  const { t } = useTranslation('runs');
  return <Badge tone={RUN_TONE[status]}>{t(`status.${status}`)}</Badge>;
}

export function RowStatusBadge({ status }: { status: RowStatus }) {
  const { t } = useTranslation('runs');
  return <Badge tone={ROW_TONE[status]}>{t(`rowStatus.${status}`)}</Badge>;
}
