/**
 * Saves `text` as a file named `fileName` through a Blob link (nothing leaves the page).
 *
 * @example
 * ```ts
 * downloadText('keyward-sample.py', code);
 * ```
 */
export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
