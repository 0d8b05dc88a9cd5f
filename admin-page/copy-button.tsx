import { useState } from 'preact/hooks';
import { copyText } from './clipboard';

/**
 * A "Copy" button (its accessible name says what it copies: "Copy secret") that puts `text` on
 * the clipboard and says so in a polite status.
 *
 * @example
 * ```tsx
 * <CopyButton text={token} label="Copy secret" />
 * ```
 */
export function CopyButton({ text, label }: { readonly text: string; readonly label: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = async () => setCopied(await copyText(text));
  return (
    <span class="copy">
      <button type="button" class="secondary small" aria-label={label} onClick={copy}>
        Copy
      </button>
      <span role="status" class="copy-status">
        {copied === null ? '' : copied ? 'Copied' : 'Copy failed: select the text and copy it'}
      </span>
    </span>
  );
}
