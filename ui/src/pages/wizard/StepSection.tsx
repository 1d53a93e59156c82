import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { StepName } from './steps';

/**
 * A step's screen: its root carries `data-step` (for tests and styles), its heading is the step's
 * title and takes the focus when the step changes (tabIndex -1: focusable by script, not by Tab).
 */
export function StepSection(props: { step: StepName; intro?: ReactNode; children: ReactNode }) {
  const { t } = useTranslation('wizard');
  const headingId = `wizard-step-${props.step}`;
  return (
    <section className="wizard-step" data-step={props.step} aria-labelledby={headingId}>
      <h2 id={headingId} tabIndex={-1} className="wizard-step__title">
        {t(`steps.${props.step}`)}
      </h2>
      {props.intro && <p className="muted wizard-step__intro">{props.intro}</p>}
      {props.children}
    </section>
  );
}

/** "Back" and "Next" (or the step's own last button) at the bottom of a step. */
export function WizardNav(props: { onBack?: () => void; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="wizard-nav">
      <div className="wizard-nav__start">
        {props.onBack && (
          <button type="button" className="button" onClick={props.onBack}>
            {t('actions.back')}
          </button>
        )}
      </div>
      <div className="wizard-nav__end">{props.children}</div>
    </div>
  );
}

export function NextButton(props: { onClick: () => void; busy?: boolean; label?: string }) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className="button button--primary"
      onClick={props.onClick}
      disabled={props.busy}
      aria-busy={props.busy || undefined}
    >
      {props.busy ? t('status.saving') : (props.label ?? t('actions.next'))}
    </button>
  );
}
