import { useTranslation } from 'react-i18next';

/** An account form's submit button (its busy text while the server works) and Cancel, when the form may be closed. */
export function FormButtons(props: { submit: string; busyText: string; busy: boolean; disabled: boolean; onCancel?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="row">
      <button type="submit" className="button button--primary" disabled={props.disabled}>
        {props.busy ? props.busyText : props.submit}
      </button>
      {props.onCancel && (
        <button type="button" className="button" onClick={props.onCancel} disabled={props.busy}>
          {t('actions.cancel')}
        </button>
      )}
    </div>
  );
}
