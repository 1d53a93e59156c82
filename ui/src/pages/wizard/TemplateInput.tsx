import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { findColumn, placeholder, readTemplate, singleColumn } from './template';

/** A constant a field accepts, offered beside the columns (`send_invoice`, `yes`). */
export interface TemplateOption {
  value: string;
  label: string;
}

/**
 * A template typed by hand, with a list beside it: choosing a column makes an empty field (or one
 * that is a single column or a single word) read that column, and inserts the column where the
 * cursor is into a template being built (`Order {{Order #}}`). Choosing a value sets a constant.
 */
export function TemplateInput(props: {
  id: string;
  describedBy: string | undefined;
  invalid: boolean;
  value: string;
  onChange: (value: string) => void;
  columns: readonly { name: string; samples: string[] }[];
  options?: readonly TemplateOption[];
  placeholder?: string;
  /**
   * What the list beside the input says of itself, for screen readers: its name is the same
   * everywhere ("Column"), so that a field's label names its input alone; which field it serves is
   * its description.
   */
  selectDescription: string;
}) {
  const { t } = useTranslation('wizard');
  const descriptionId = useId();
  const input = useRef<HTMLInputElement>(null);
  const caret = useRef<number | null>(null);
  const names = props.columns.map((c) => c.name);
  const single = singleColumn(props.value);
  const selected =
    single !== undefined && findColumn(names, single) !== undefined
      ? `column:${findColumn(names, single)}`
      : props.options?.some((o) => o.value === props.value.trim())
        ? `value:${props.value.trim()}`
        : '';

  // A template being built (text with columns, or text ending in a space: "Order ") gets the column
  // inserted at the cursor; anything else (empty, one column, one word) is replaced by it.
  const current = props.value;
  const replaces = selected !== '' || !(readTemplate(current).names.length > 0 || /\s/.test(current.trimStart()));
  const pick = (choice: string) => {
    if (choice.startsWith('value:')) {
      props.onChange(choice.slice('value:'.length));
      return;
    }
    if (!choice.startsWith('column:')) return;
    const inserted = placeholder(choice.slice('column:'.length));
    if (replaces) {
      props.onChange(inserted);
      return;
    }
    const at = Math.min(caret.current ?? current.length, current.length);
    props.onChange(current.slice(0, at) + inserted + current.slice(at));
    caret.current = at + inserted.length;
  };
  const remember = () => {
    caret.current = input.current?.selectionStart ?? null;
  };

  return (
    <div className="wizard-template">
      <input
        ref={input}
        id={props.id}
        type="text"
        autoComplete="off"
        spellCheck={false}
        value={props.value}
        placeholder={props.placeholder}
        aria-describedby={props.describedBy}
        aria-invalid={props.invalid || undefined}
        onChange={(e) => props.onChange(e.target.value)}
        onSelect={remember}
        onBlur={remember}
      />
      <span id={descriptionId} hidden>
        {props.selectDescription}
      </span>
      <select aria-label={t('mapping.column')} aria-describedby={descriptionId} value={selected} onChange={(e) => pick(e.target.value)}>
        <option value="">{replaces ? t('mapping.pick') : t('mapping.insert')}</option>
        {props.columns.length > 0 && (
          <optgroup label={t('mapping.columnsGroup')}>
            {props.columns.map((c) => (
              <option key={c.name} value={`column:${c.name}`}>
                {c.name}
              </option>
            ))}
          </optgroup>
        )}
        {props.options && props.options.length > 0 && (
          <optgroup label={t('mapping.valuesGroup')}>
            {props.options.map((o) => (
              <option key={o.value} value={`value:${o.value}`}>
                {o.label}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </div>
  );
}

/** What a template gives for the first sample of each column it reads, as a hint under the field; undefined when a column has no sample. */
export function sampleOf(template: string, columns: readonly { name: string; samples: string[] }[]): string | undefined {
  const { names, problem } = readTemplate(template);
  if (problem || names.length === 0) return undefined;
  let missing = false;
  const value = template.replace(/\\\{\{|\{\{([^{}]*)\}\}/g, (_whole, name: string | undefined) => {
    if (name === undefined) return '{{';
    const column = columns.find(
      (c) =>
        c.name ===
        findColumn(
          columns.map((x) => x.name),
          name.trim(),
        ),
    );
    const sample = column?.samples[0];
    if (sample === undefined) missing = true;
    return sample ?? '';
  });
  return missing ? undefined : value;
}
