import { useEffect, useId, useState } from 'preact/hooks';
import { query, segment } from './api-client';
import type { AccountSampleCode } from './api-types';
import { useApp } from './app-context';
import { CopyButton } from './copy-button';

/**
 * "Endpoints base URL": where the account's keys call the host's API (the sample-code answer's
 * `baseUrl`), with "Copy endpoints base URL". Nothing when the host configured no endpoints.
 */
export function EndpointsUrl({ accountId }: { readonly accountId: string }) {
  const { api } = useApp();
  const id = useId();
  const [baseUrl, setBaseUrl] = useState<string | null>(null);
  useEffect(() => {
    void (async () => {
      const path = `/service-accounts/${segment(accountId)}/sample-code${query({ language: 'curl' })}`;
      const answer = await api.call<AccountSampleCode>('GET', path);
      setBaseUrl(answer.ok ? answer.value.baseUrl : null);
    })();
  }, [api, accountId]);
  if (baseUrl === null) return null;
  return (
    <div class="field">
      <label for={id}>Endpoints base URL</label>
      <div class="inline">
        <input id={id} type="text" class="value-input" readOnly value={baseUrl} />
        <CopyButton text={baseUrl} label="Copy endpoints base URL" />
      </div>
    </div>
  );
}
