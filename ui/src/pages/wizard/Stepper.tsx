import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { STEPS, type StepName } from './steps';

/**
 * The steps at the top: the current one marked with aria-current="step", done ones as links back
 * (and, for a saved connection, every step), the rest as plain text.
 */
export function Stepper(props: { current: StepName; isDone: (step: StepName) => boolean; canGo: (step: StepName) => boolean }) {
  const { t } = useTranslation('wizard');
  return (
    <nav aria-label={t('stepper.label')}>
      <ol className="stepper wizard-stepper">
        {STEPS.map((step, i) => {
          const current = step === props.current;
          const done = props.isDone(step);
          const content = (
            <>
              <span className="wizard-stepper__number" aria-hidden="true">
                {i + 1}
              </span>{' '}
              <span className="wizard-stepper__text">{t(`steps.${step}`)}</span>
              {done && !current && <span className="visually-hidden"> ({t('stepper.done')})</span>}
            </>
          );
          return (
            <li key={step} className={done && !current ? 'is-done' : undefined}>
              {current ? (
                <span aria-current="step">{content}</span>
              ) : props.canGo(step) ? (
                <Link to={{ search: `?step=${step}` }}>{content}</Link>
              ) : (
                <span className="wizard-stepper__later">{content}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
