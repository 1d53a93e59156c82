import { useTranslation } from 'react-i18next';
import type { RowStatus, RunPace as Pace, RunStatus } from '../../api/types';
import { useFormat } from '../../lib/format';
import { RunPace } from './RunPace';

/**
 * A live run's progress: rows done (sent, failed or skipped) over all its rows, as a bar and in
 * words, and its pace once rows go out. The words sit in a polite live region, so screen readers
 * hear the progress without losing their place; the pace, which changes every second, does not.
 */
export function RunProgress({ status, counts, pace }: { status: RunStatus; counts: Record<RowStatus, number>; pace?: Pace | undefined }) {
  const { t } = useTranslation('runs');
  const { number } = useFormat();
  const done = counts.sent + counts.failed + counts.skipped;
  const total = done + counts.pending;
  const text =
    total === 0
      ? status === 'queued'
        ? t('progress.waiting')
        : t('progress.reading')
      : t('progress.done', { count: total, total: number(total), done: number(done) });
  const percent = total === 0 ? 0 : Math.round((done / total) * 100);
  return (
    <div className="run-progress">
      <div
        className="progress"
        role="progressbar"
        aria-label={t('progress.label')}
        aria-valuemin={0}
        aria-valuemax={Math.max(total, 1)}
        aria-valuenow={done}
        aria-valuetext={text}
      >
        <div
          className={`progress__bar${total === 0 ? ' progress__bar--waiting' : ''}`}
          style={{ width: `${total === 0 ? 100 : percent}%` }}
        />
      </div>
      <p className="run-progress__text small" aria-live="polite">
        {text}
      </p>
      {pace && total > 0 && <RunPace pace={pace} />}
    </div>
  );
}
