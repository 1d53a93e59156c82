import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { Alert, ErrorAlert } from './ui';

/**
 * A modal question before something that cannot be undone. The native <dialog> traps focus, closes
 * on Escape and gives focus back to the button that opened it. Cancel has the focus first, so
 * Enter pressed out of habit does not delete anything.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: ReactNode;
  children?: ReactNode;
  confirmLabel: string;
  /** The confirm button's words while the work is under way ("Deleting…"). */
  busyLabel: string;
  busy?: boolean;
  /** Why the server refused, shown inside the dialog: `conflict` for a 409, the server's words otherwise. */
  error?: unknown;
  /** What a 409 means here ("it is in use by a connection"). */
  conflict?: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const { open, onCancel } = props;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onClose={() => {
        if (open) onCancel();
      }}
    >
      <h2 id={titleId} className="confirm__title">
        {props.title}
      </h2>
      <div id={bodyId}>{props.children}</div>
      {Boolean(props.error) &&
        (props.error instanceof ApiError && props.error.status === 409 && props.conflict ? (
          <Alert kind="error">{props.conflict}</Alert>
        ) : (
          <ErrorAlert error={props.error} />
        ))}
      <div className="confirm__actions">
        <button type="button" className="button" onClick={onCancel} autoFocus>
          {t('actions.cancel')}
        </button>
        <button type="button" className="button button--danger" onClick={props.onConfirm} disabled={props.busy}>
          {props.busy ? props.busyLabel : props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
