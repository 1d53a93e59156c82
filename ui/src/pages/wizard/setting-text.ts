import type { Catalog, SettingSpec } from '../../api/types';
import { useCatalogText } from './catalog-text';

/** A source setting's label, help and example in the person's language, looked up by its key. */
export function useSettingText(catalog: Catalog, type: string) {
  const ct = useCatalogText();
  const specs = catalog.sources.find((s) => s.type === type)?.settings ?? [];
  return (key: string) => {
    const spec: SettingSpec = specs.find((s) => s.key === key) ?? { key, type: 'text', label: key, help: '', required: false };
    return { label: ct.settingLabel(type, spec), help: ct.settingHelp(type, spec), example: ct.settingExample(type, spec), spec };
  };
}

/** Whether a text is a full http(s) address, as the server asks of URLs. */
export function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text.trim())) return false;
  const { protocol } = new URL(text.trim());
  return protocol === 'http:' || protocol === 'https:';
}
