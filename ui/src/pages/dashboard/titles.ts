import { useTranslation } from 'react-i18next';
import { en } from '../../i18n/resources';

type SourceType = keyof typeof en.wizard.catalog.sources;
type StripeAction = keyof typeof en.wizard.catalog.actions.stripe;

const isSource = (type: string): type is SourceType => Object.hasOwn(en.wizard.catalog?.sources ?? {}, type);
const isStripeAction = (name: string): name is StripeAction => Object.hasOwn(en.wizard.catalog?.actions?.stripe ?? {}, name);

/** The translated titles of source types and actions (the wizard's catalog); an unknown key is shown as it is. */
export function useTitles() {
  const { t } = useTranslation('wizard');
  return {
    source: (type: string) => (isSource(type) ? t(`catalog.sources.${type}.title`) : type),
    action: (key: string) => {
      const [receiver, name = ''] = key.split('.');
      return receiver === 'stripe' && isStripeAction(name) ? t(`catalog.actions.stripe.${name}.title`) : key;
    },
  };
}
