import { useEffect, useState } from 'preact/hooks';
import { AccountSettingsForm } from './account-settings-form';
import { AccountStatus } from './account-status';
import { segment } from './api-client';
import type { ServiceAccount } from './api-types';
import { useApp } from './app-context';
import { AuditTrail } from './audit-trail';
import { DatasetAccessSection } from './dataset-access';
import { EndpointsUrl } from './endpoints-url';
import { KeysPanel } from './keys-panel';
import type { Problem } from './problem';
import { ProblemAlert } from './problem-alert';
import { RemoveAccount } from './remove-account';
import { SampleCode } from './sample-code';

/** An account as last read, with the `ETag` its writes send as `If-Match`. */
export interface VersionedAccount {
  readonly account: ServiceAccount;
  readonly etag: string;
}

/** The `ETag` of an answer, or the one the API derives from the account's version. */
export function etagOf(account: ServiceAccount, etag: string | null): string {
  return etag ?? `"${account.version}"`;
}

/**
 * One service account: its details form, data sets, endpoints, status, keys, sample code and
 * audit trail. Every section that writes the account hands back the new version.
 */
export function AccountDetails({ id }: { readonly id: string }) {
  const { api, accountsChanged } = useApp();
  const [current, setCurrent] = useState<VersionedAccount | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [activity, setActivity] = useState(0);

  const reload = async () => {
    const answer = await api.call<ServiceAccount>('GET', `/service-accounts/${segment(id)}`);
    if (!answer.ok) return setProblem(answer.problem);
    setProblem(null);
    setCurrent({ account: answer.value, etag: etagOf(answer.value, answer.etag) });
  };
  useEffect(() => {
    void reload();
  }, [id]);

  if (current === null) {
    return problem === null ? <p class="muted">Loading…</p> : <ProblemAlert problem={problem} />;
  }
  const changed = (next: VersionedAccount) => {
    if (next.account.name !== current.account.name || next.account.status !== current.account.status) {
      accountsChanged();
    }
    setCurrent(next);
    setActivity((value) => value + 1);
  };
  const { account } = current;
  return (
    <article class="account">
      <header class="account-head">
        <h2>{account.name}</h2>
        <p class="muted">
          <code>{account.id}</code>
        </p>
      </header>
      <AccountStatus current={current} onChanged={changed} />
      <AccountSettingsForm current={current} onChanged={changed} onReload={reload} />
      <DatasetAccessSection current={current} onChanged={changed} />
      <KeysPanel account={account} onActivity={() => setActivity((value) => value + 1)} />
      <section class="panel" aria-labelledby="endpoints-title">
        <h3 id="endpoints-title">Calling the API</h3>
        <EndpointsUrl accountId={account.id} />
        <SampleCode source={{ kind: 'account', accountId: account.id }} />
      </section>
      <AuditTrail accountId={account.id} revision={activity} />
      <RemoveAccount current={current} />
    </article>
  );
}
