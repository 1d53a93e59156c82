import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Copies a text to the clipboard and says so for a moment ("Copied", announced as a status). */
export function CopyButton(props: { text: string; label?: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setCopied(true);
    } catch {
      // Without clipboard access (plain http on another host), the text stays selectable beside the button.
      setCopied(false);
    }
  };
  return (
    <span className="copy-button">
      <button type="button" className="button button--small" onClick={() => void copy()}>
        {props.label ?? t('actions.copy')}
      </button>
      <span role="status" className="copy-button__status">
        {copied ? t('actions.copied') : ''}
      </span>
    </span>
  );
}
