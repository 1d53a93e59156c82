import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import type { Catalog, TestSendResult } from '../../api/types';
import { Alert, ErrorAlert } from '../../components/ui';
import { useCatalogText } from './catalog-text';
import { withoutField } from './problem-text';
import { RequestList, type PlannedRequest } from './RequestList';

/** Stripe's answer to the test send: the object made (with a link to it in the Dashboard), or Stripe's refusal, clearly. */
export function TestResult(props: { result: TestSendResult | undefined; error: unknown; action: Catalog['actions'][number] }) {
  const { t } = useTranslation('wizard');
  const ct = useCatalogText();
  if (props.error) {
    // 422: the row cannot be mapped (nothing was sent); its problems name the fields.
    if (props.error instanceof ApiError && props.error.status === 422) {
      const labelOf = (key: string) => {
        const f = props.action.fields.find((x) => x.key === key);
        return f ? ct.fieldLabel(props.action.key, f) : key;
      };
      return (
        <Alert kind="error" title={t('test.notSent')}>
          {props.error.errors.length > 0 ? (
            <ul>
              {props.error.errors.map((e, i) => (
                <li key={i}>
                  <strong>{labelOf(e.field)}:</strong> {withoutField(e.field, e.message)}
                </li>
              ))}
            </ul>
          ) : (
            <p>{props.error.message}</p>
          )}
        </Alert>
      );
    }
    return <ErrorAlert error={props.error} />;
  }
  if (!props.result) return null;
  const { result, requests } = props.result;
  const sent = (
    <details>
      <summary>{t('test.sentRequests', { count: requests.length })}</summary>
      <RequestList requests={requests as PlannedRequest[]} />
    </details>
  );
  if (!result.ok) {
    const e = result.error;
    const all: [string, string | number | undefined][] = [
      [t('test.code'), e.code],
      [t('test.param'), e.param],
      [t('test.httpStatus'), e.status],
      [t('test.type'), e.type],
    ];
    const facts = all.filter((f): f is [string, string | number] => f[1] !== undefined && f[1] !== '');
    return (
      <div className="wizard-result">
        <Alert kind="error" title={t('test.refused')}>
          <p>{e.message}</p>
          <dl className="wizard-facts">
            {facts.map(([label, value]) => (
              <Fragment key={label}>
                <dt>{label}</dt>
                <dd>
                  <code>{value}</code>
                </dd>
              </Fragment>
            ))}
          </dl>
        </Alert>
        {sent}
      </div>
    );
  }
  return (
    <div className="wizard-result">
      <Alert kind="success" title={t('test.accepted', { id: result.id })}>
        {result.note && <p>{result.note}</p>}
        <p>
          <a href={result.dashboardUrl} target="_blank" rel="noreferrer">
            {t('test.openInDashboard')}
          </a>
        </p>
      </Alert>
      <details>
        <summary>{t('test.answer')}</summary>
        <pre>{JSON.stringify(result.object, null, 2)}</pre>
      </details>
      {sent}
    </div>
  );
}
