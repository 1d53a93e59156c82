import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui';
import { hasUnsavedChanges } from './draft';
import type { StepProps } from './step-props';

/** Said on the steps that work on the saved connection when the wizard holds changes not saved yet (saved by the mapping step's "Next"). */
export function UnsavedAlert(props: StepProps) {
  const { t } = useTranslation('wizard');
  if (!props.connection || !hasUnsavedChanges(props.draft, props.connection, props.catalog)) return null;
  return (
    <Alert kind="warning">
      <p>{t('unsaved.text')}</p>
      <button type="button" className="button button--small" onClick={() => props.go('mapping')}>
        {t('unsaved.back')}
      </button>
    </Alert>
  );
}
