import { useId, type ReactNode } from 'react';

/**
 * A radio button as a card: the whole card is its label (click anywhere), its accessible name is
 * the title alone and the description is read after it, so `getByRole('radio', {name: title})`
 * finds it exactly.
 */
export function ChoiceCard(props: {
  name: string;
  value: string;
  checked: boolean;
  onChange: () => void;
  title: ReactNode;
  description?: ReactNode;
  readOnly?: boolean;
}) {
  const id = useId();
  return (
    <label className="choice">
      <input
        type="radio"
        name={props.name}
        value={props.value}
        checked={props.checked}
        readOnly={props.readOnly}
        onChange={props.readOnly ? undefined : props.onChange}
        aria-labelledby={`${id}-title`}
        aria-describedby={props.description ? `${id}-text` : undefined}
      />
      <span>
        <span className="choice__title" id={`${id}-title`}>
          {props.title}
        </span>
        {props.description && (
          <span className="choice__text" id={`${id}-text`}>
            {props.description}
          </span>
        )}
      </span>
    </label>
  );
}
