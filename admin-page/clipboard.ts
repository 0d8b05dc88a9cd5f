/**
 * Copying to the clipboard, with the older selection-based way when the Clipboard API refuses (no
 * permission, the page not focused).
 *
 * @packageDocumentation
 */

/**
 * Puts `text` on the clipboard; false when the browser refuses both ways.
 *
 * @example
 * ```ts
 * if (!(await copyText(token))) showHint();
 * ```
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return copyWithSelection(text);
  }
}
/** The older way, for browsers that refuse the Clipboard API (no permission, no focus). */
function copyWithSelection(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  const active = document.activeElement;
  // Inside an open modal dialog, only its content can be focused and selected.
  (active?.closest('dialog') ?? document.body).append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (active instanceof HTMLElement) active.focus();
  return copied;
}
