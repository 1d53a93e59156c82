import { useTranslation } from 'react-i18next';
import type { Catalog, FieldSpec, SettingSpec } from '../../api/types';

type Source = Catalog['sources'][number];
type Action = Catalog['actions'][number];
type Loose = (key: string, options: { defaultValue: string }) => string;

/** A field's place in the catalog: `address.line1` is nested, `metadata.*` is `metadata`. */
const path = (key: string) => key.replace(/\.\*$/, '');

/**
 * The catalog's texts (titles, descriptions, field labels, help and examples) in the person's
 * language, from wizard.json's `catalog` section; the server's English text where a key is
 * missing, so that a field added to the server shows up before it is translated.
 */
export function useCatalogText() {
  const { t } = useTranslation('wizard');
  const tr = (key: string, fallback: string): string => (t as unknown as Loose)(key, { defaultValue: fallback });
  return {
    sourceTitle: (s: Pick<Source, 'type' | 'title'>) => tr(`catalog.sources.${s.type}.title`, s.title),
    sourceDescription: (s: Pick<Source, 'type' | 'description'>) => tr(`catalog.sources.${s.type}.description`, s.description),
    actionTitle: (a: Pick<Action, 'key' | 'title'>) => tr(`catalog.actions.${a.key}.title`, a.title),
    actionDescription: (a: Pick<Action, 'key' | 'description'>) => tr(`catalog.actions.${a.key}.description`, a.description),
    fieldLabel: (action: string, f: FieldSpec) => tr(`catalog.fields.${action}.${path(f.key)}.label`, f.label),
    fieldHelp: (action: string, f: FieldSpec) => tr(`catalog.fields.${action}.${path(f.key)}.help`, f.help),
    fieldExample: (action: string, f: FieldSpec) => tr(`catalog.fields.${action}.${path(f.key)}.example`, f.example),
    settingLabel: (type: string, s: SettingSpec) => tr(`catalog.settings.${type}.${s.key}.label`, s.label),
    settingHelp: (type: string, s: SettingSpec) => tr(`catalog.settings.${type}.${s.key}.help`, s.help),
    settingExample: (type: string, s: SettingSpec) => tr(`catalog.settings.${type}.${s.key}.example`, s.example ?? ''),
    /** The title of fields that share a prefix (`address`). */
    group: (prefix: string) => tr(`catalog.groups.${prefix}`, prefix),
    /** A constant a field accepts (`send_invoice`, `yes`), as people read it. */
    option: (value: string) => tr(`catalog.options.${value}`, value),
  };
}

export type CatalogText = ReturnType<typeof useCatalogText>;
