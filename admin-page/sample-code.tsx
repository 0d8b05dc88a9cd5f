import { useEffect, useId, useState } from 'preact/hooks';
import { query, segment } from './api-client';
import type { AccountSampleCode, KeySampleCode, SampleLanguage } from './api-types';
import { useApp } from './app-context';
import { copyText } from './clipboard';
import { downloadText } from './download';
import type { Problem } from './problem';
import { ProblemAlert } from './problem-alert';

/** The languages offered, in the order of the "Language" select, with their file extension. */
const LANGUAGES: readonly { value: SampleLanguage; label: string; extension: string }[] = [
  { value: 'python', label: 'Python', extension: 'py' },
  { value: 'typescript', label: 'TypeScript', extension: 'ts' },
  { value: 'curl', label: 'curl', extension: 'sh' },
];

/** Where the code comes from: a just-issued key's answer (real token), or an account (placeholder). */
export type SampleSource =
  | { readonly kind: 'issued'; readonly sample: KeySampleCode }
  | { readonly kind: 'account'; readonly accountId: string };

/**
 * The "Sample code" section: a "Language" select, the code, "Copy code" and "Download"
 * (`keyward-sample.py|.ts|.sh`). With an issued key the code holds its token; for an account it
 * holds `YOUR_API_KEY`.
 *
 * @example
 * ```tsx
 * <SampleCode source={{ kind: 'account', accountId: account.id }} />
 * ```
 */
export function SampleCode({ source }: { readonly source: SampleSource }) {
  const { api } = useApp();
  const id = useId();
  const [language, setLanguage] = useState<SampleLanguage>('python');
  const [fetched, setFetched] = useState<{ language: SampleLanguage; code: string } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [copied, setCopied] = useState('');
  const accountId = source.kind === 'account' ? source.accountId : null;

  useEffect(() => {
    if (accountId === null) return;
    void (async () => {
      const path = `/service-accounts/${segment(accountId)}/sample-code${query({ language })}`;
      const answer = await api.call<AccountSampleCode>('GET', path);
      if (answer.ok) setFetched({ language, code: answer.value.code });
      else setProblem(answer.problem);
    })();
  }, [api, accountId, language]);

  const code =
    source.kind === 'issued' ? source.sample[language] : fetched?.language === language ? fetched.code : null;
  const extension = LANGUAGES.find((entry) => entry.value === language)?.extension ?? 'txt';
  const copy = async () => {
    if (code === null) return;
    const ok = await copyText(code);
    setCopied(ok ? 'Code copied' : 'Copy failed: select the code and copy it');
  };

  if (problem !== null && problem.status === 404) return null; // no endpointsBaseUrl on this host
  return (
    <section class="sample-code" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Sample code</h3>
      <div class="sample-toolbar">
        <label for={`${id}-language`}>Language</label>
        <select
          id={`${id}-language`}
          value={language}
          onChange={(event) => setLanguage(event.currentTarget.value as SampleLanguage)}
        >
          {LANGUAGES.map((entry) => (
            <option key={entry.value} value={entry.value}>
              {entry.label}
            </option>
          ))}
        </select>
        <button type="button" class="secondary small" onClick={copy} disabled={code === null}>
          Copy code
        </button>
        <button
          type="button"
          class="secondary small"
          disabled={code === null}
          onClick={() => code !== null && downloadText(`keyward-sample.${extension}`, code)}
        >
          Download
        </button>
        <span role="status" class="copy-status">
          {copied}
        </span>
      </div>
      <ProblemAlert problem={problem} />
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the code scrolls sideways; keyboard users reach it */}
      <pre class="code" tabIndex={0}>
        <code>{code ?? 'Loading…'}</code>
      </pre>
    </section>
  );
}
