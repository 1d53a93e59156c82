import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui';
import { useCatalogText } from './catalog-text';
import type { StepProps } from './step-props';
import { NextButton, StepSection, WizardNav } from './StepSection';
import { ChoiceCard } from './ChoiceCard';
import { GroupingNote, isGrouped } from './GroupingNote';

/** Where the data goes: Stripe is the one receiver today. Its actions are the catalog's keys before the first dot. */
const RECEIVER = 'stripe';

/** Step 2: the receiver (Stripe) and what it does with each row. */
export function ActionStep(props: StepProps) {
  const { t } = useTranslation('wizard');
  const ct = useCatalogText();
  const [showMissing, setShowMissing] = useState(false);
  const actions = props.catalog.actions.filter((a) => a.key.startsWith(`${RECEIVER}.`));
  const chosen = actions.find((a) => a.key === props.draft.action);

  const next = () => {
    if (!props.draft.action) {
      setShowMissing(true);
      return;
    }
    props.go('account');
  };

  return (
    <StepSection step="action" intro={t('action.intro')}>
      <fieldset className="wizard-choices">
        <legend>{t('action.receiverLegend')}</legend>
        <ChoiceCard
          name="receiver"
          value={RECEIVER}
          checked
          readOnly
          onChange={() => {}}
          title={t('action.stripe')}
          description={t('action.stripeText')}
        />
      </fieldset>
      <fieldset className="wizard-choices">
        <legend>{t('action.actionLegend')}</legend>
        {actions.map((a) => (
          <ChoiceCard
            key={a.key}
            name="action"
            value={a.key}
            checked={props.draft.action === a.key}
            onChange={() => props.update((d) => ({ ...d, action: a.key }))}
            title={ct.actionTitle(a)}
            description={ct.actionDescription(a)}
          />
        ))}
      </fieldset>
      {isGrouped(chosen) && <GroupingNote action={chosen} />}
      {showMissing && !props.draft.action && <Alert kind="error">{t('action.missing')}</Alert>}
      <WizardNav onBack={() => props.go('source')}>
        <NextButton onClick={next} />
      </WizardNav>
    </StepSection>
  );
}
