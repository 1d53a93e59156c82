import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui';
import { useCatalogText } from './catalog-text';
import { CsvSettings } from './CsvSettings';
import { missingSourceSetting } from './draft';
import { SheetsSettings } from './SheetsSettings';
import { useSourceColumns } from './source-columns';
import type { StepProps } from './step-props';
import { NextButton, StepSection, WizardNav } from './StepSection';
import { WebhookSettings } from './WebhookSettings';
import { ChoiceCard } from './ChoiceCard';

/** Step 1: where the rows come from, and that source's settings, with the columns found in it. */
export function SourceStep(props: StepProps) {
  const { t } = useTranslation('wizard');
  const ct = useCatalogText();
  const { draft, catalog } = props;
  const columns = useSourceColumns(draft, props.connection);
  const [showMissing, setShowMissing] = useState(false);
  const missing = missingSourceSetting(draft);
  const savedType = props.connection?.source.type;

  const root = useRef<HTMLDivElement>(null);
  const next = () => {
    if (missing) {
      setShowMissing(true);
      // Once the problem shows: the field in trouble takes the focus (the first type's radio when none is chosen).
      requestAnimationFrame(() => {
        const invalid = root.current?.querySelector<HTMLElement>(
          missing === 'type' ? 'input[name="source-type"]' : '[aria-invalid="true"]',
        );
        invalid?.focus();
      });
      return;
    }
    props.go('action');
  };

  return (
    <StepSection step="source" intro={t('source.intro')}>
      <div ref={root}>
        <fieldset className="wizard-choices">
          <legend>{t('source.typeLegend')}</legend>
          {catalog.sources.map((s) => (
            <ChoiceCard
              key={s.type}
              name="source-type"
              value={s.type}
              checked={draft.sourceType === s.type}
              onChange={() => props.update((d) => ({ ...d, sourceType: s.type }))}
              title={ct.sourceTitle(s)}
              description={ct.sourceDescription(s)}
            />
          ))}
        </fieldset>
        {showMissing && missing === 'type' && <Alert kind="error">{t('source.missing.type')}</Alert>}
        {savedType === 'webhook' && draft.sourceType !== savedType && <Alert kind="warning">{t('source.leavingForm')}</Alert>}

        {draft.sourceType !== '' && (
          <div className="card wizard-settings">
            <h3 className="card__title">
              {t('source.settingsTitle', {
                source: ct.sourceTitle(
                  catalog.sources.find((s) => s.type === draft.sourceType) ?? { type: draft.sourceType, title: draft.sourceType },
                ),
              })}
            </h3>
            {draft.sourceType === 'csv' && <CsvSettings {...props} columns={columns} showMissing={showMissing} />}
            {draft.sourceType === 'webhook' && <WebhookSettings {...props} columns={columns} />}
            {draft.sourceType === 'google_sheets' && <SheetsSettings {...props} columns={columns} showMissing={showMissing} />}
          </div>
        )}
      </div>
      <WizardNav>
        <NextButton onClick={next} />
      </WizardNav>
    </StepSection>
  );
}
