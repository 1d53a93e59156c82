import { useTranslation } from 'react-i18next';

export interface PlannedRequest {
  method: string;
  path: string;
  body?: string;
  /** Why the request is made, when it is not obvious (a lookup before a create). */
  note?: string;
}

/** The exact requests a row sends to Stripe: method, path and the form body as Stripe receives it. */
export function RequestList(props: { requests: readonly PlannedRequest[] }) {
  const { t } = useTranslation('wizard');
  return (
    <ol className="wizard-requests">
      {props.requests.map((r, i) => (
        <li key={i}>
          <p className="wizard-requests__line">
            <code>
              {r.method} {r.path}
            </code>
            {r.note && <span className="small muted"> — {r.note}</span>}
          </p>
          {r.body ? (
            <pre aria-label={t('test.formBody')}>{r.body}</pre>
          ) : (
            // A GET is a lookup; a POST without parameters (an invoice's finalize or send) is an action all the same.
            <p className="small muted">{t(r.method === 'GET' ? 'test.noBody' : 'test.noBodyPost')}</p>
          )}
        </li>
      ))}
    </ol>
  );
}
