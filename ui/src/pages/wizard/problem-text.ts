import { useTranslation } from 'react-i18next';
import type { FieldSpec } from '../../api/types';
import type { CatalogText } from './catalog-text';
import type { MappingProblem } from './mapping-check';

/** A server message starts with its field's key (`amount: "12,5O" is not a number`); under the field, or beside its label, the rest says it. */
export const withoutField = (field: string, message: string) =>
  message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;

/** A mapping problem as a sentence in the person's language. */
export function useProblemText(ct: CatalogText, action: string, fields: readonly FieldSpec[]) {
  const { t } = useTranslation('wizard');
  const labelOf = (key: string) => {
    const f = fields.find((x) => x.key === key);
    return f ? ct.fieldLabel(action, f) : key;
  };
  return (p: MappingProblem): string => {
    switch (p.kind) {
      case 'syntax':
        // The braces go in as values: written in the catalog, i18next would read them as its own placeholders.
        return t(`mapping.problems.${p.problem.kind}`, { at: p.problem.at, open: '{{', close: '}}' });
      case 'unknownColumns':
        return t('mapping.problems.unknownColumns', { count: p.names.length, names: p.names.map((n) => `{{${n}}}`).join(', ') });
      case 'required':
        return t('mapping.problems.required');
      case 'requiredWith':
        return t('mapping.problems.requiredWith', { other: labelOf(p.other) });
      case 'notOption':
        return t('mapping.problems.notOption', { options: p.options.join(', ') });
      case 'metadataKey':
        return t(`mapping.problems.metadataKey.${p.reason}`);
    }
  };
}
