import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../api/types';
import { Alert, Badge, ErrorAlert, Spinner } from '../../components/ui';
import { useFormat } from '../../lib/format';
import { ConnectStripeAccount } from '../accounts/ConnectStripeAccount';
import { keys, useAccounts } from './queries';
import type { StepProps } from './step-props';
import { NextButton, StepSection, WizardNav } from './StepSection';
import { ChoiceCard } from './ChoiceCard';

/** Step 3: the Stripe account the rows go to. Inactive accounts are shown apart, with Stripe's reason, and cannot be chosen. */
export function AccountStep(props: StepProps) {
  const { t } = useTranslation(['wizard', 'common']);
  const { dateTime } = useFormat();
  const client = useQueryClient();
  const accounts = useAccounts();
  const [connecting, setConnecting] = useState<boolean | undefined>(undefined);
  const [showMissing, setShowMissing] = useState(false);
  const stripe = (accounts.data ?? []).filter((a) => a.type === 'stripe');
  const active = stripe.filter((a) => a.status === 'active');
  const inactive = stripe.filter((a) => a.status !== 'active');
  const chosen = active.find((a) => a.id === props.draft.accountId);
  // With no account at all, the form to connect one is open from the start.
  const showConnect = connecting ?? (accounts.isSuccess && active.length === 0);

  const choose = (id: string) => props.update((d) => ({ ...d, accountId: id }));
  // With one account to choose from, it is chosen already.
  const only = active.length === 1 ? active[0]?.id : undefined;
  useEffect(() => {
    if (only && props.draft.accountId === '') choose(only);
    // Only when the list arrives: the choice is the person's after that.
  }, [only]);
  const connected = (account: Account) => {
    client.setQueryData<Account[]>(keys.accounts, (list) => [...(list ?? []).filter((a) => a.id !== account.id), account]);
    void client.invalidateQueries({ queryKey: keys.accounts });
    setConnecting(false);
    if (account.status === 'active') choose(account.id);
  };
  const next = () => {
    if (!chosen) {
      setShowMissing(true);
      return;
    }
    props.go('mapping');
  };

  return (
    <StepSection step="account" intro={t('account.intro')}>
      {accounts.isPending && <Spinner />}
      <ErrorAlert error={accounts.error} />
      {active.length > 0 && (
        <fieldset className="wizard-choices">
          <legend>{t('account.legend')}</legend>
          {active.map((a) => (
            <ChoiceCard
              key={a.id}
              name="account"
              value={a.id}
              checked={props.draft.accountId === a.id}
              onChange={() => choose(a.id)}
              title={a.name}
              description={
                <>
                  <Badge tone={a.mode === 'live' ? 'live' : 'info'}>
                    {t(a.mode === 'live' ? 'common:status.live' : 'common:status.test')}
                  </Badge>{' '}
                  <span className="mono">{a.keyHint}</span>
                </>
              }
            />
          ))}
        </fieldset>
      )}
      {props.draft.accountId !== '' && !chosen && accounts.isSuccess && <Alert kind="warning">{t('account.savedNotUsable')}</Alert>}
      {chosen?.mode === 'live' && (
        <Alert kind="warning" title={t('account.liveTitle')}>
          <p>{t('account.liveText')}</p>
        </Alert>
      )}
      {showMissing && !chosen && <Alert kind="error">{t('account.missing')}</Alert>}

      {showConnect ? (
        <div className="card wizard-connect">
          <h3 className="card__title">{t('account.connectTitle')}</h3>
          <ConnectStripeAccount onConnected={connected} onCancel={active.length > 0 ? () => setConnecting(false) : undefined} />
        </div>
      ) : (
        accounts.isSuccess && (
          <button type="button" className="button" onClick={() => setConnecting(true)}>
            {t('account.connect')}
          </button>
        )
      )}

      {inactive.length > 0 && (
        <div className="wizard-inactive">
          <h3>{t('account.inactiveTitle')}</h3>
          <p className="small muted">{t('account.inactiveHelp')}</p>
          <ul className="wizard-inactive__list">
            {inactive.map((a) => (
              <li key={a.id} className="choice wizard-inactive__item">
                <span>
                  <span className="choice__title">
                    {a.name} <Badge tone="bad">{t('common:status.inactive')}</Badge>
                  </span>
                  <span className="choice__text mono">{a.keyHint}</span>
                  {a.lastError && <span className="choice__text wizard-inactive__error">{a.lastError}</span>}
                  {a.checkedAt && <span className="choice__text">{t('account.checkedAt', { when: dateTime(a.checkedAt) })}</span>}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}

      <WizardNav onBack={() => props.go('action')}>
        <NextButton onClick={next} />
      </WizardNav>
    </StepSection>
  );
}
