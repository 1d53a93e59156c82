import { useTranslation } from 'react-i18next';

const KNOWN = ['manual', 'schedule', 'chain', 'webhook', 'retry', 'baseline'] as const;
type Known = (typeof KNOWN)[number];

/** What started a run, in words; a trigger this UI does not know yet is shown as the server names it. */
export function useTriggerLabel() {
  const { t } = useTranslation('runs');
  return (trigger: string) =>
    (KNOWN as readonly string[]).includes(trigger) ? t(`trigger.${trigger as Known}`) : t('trigger.unknown', { trigger });
}
