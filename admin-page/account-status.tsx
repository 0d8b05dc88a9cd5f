import { useState } from 'preact/hooks';
import type { VersionedAccount } from './account-details';
import { etagOf } from './account-details';
import { segment } from './api-client';
import type { ServiceAccount } from './api-types';
import { useApp } from './app-context';
import type { Problem } from './problem';
import { ProblemAlert } from './problem-alert';

/**
 * The account's status ("Enabled" / "Disabled") with "Disable" or "Enable", and what that means
 * for its keys.
 */
export function AccountStatus(props: {
  readonly current: VersionedAccount;
  readonly onChanged: (next: VersionedAccount) => void;
}) {
  const { api } = useApp();
  const { account, etag } = props.current;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [enabledNow, setEnabledNow] = useState(false);
  const disabled = account.status === 'disabled';

  const toggle = async () => {
    setBusy(true);
    const action = disabled ? 'enable' : 'disable';
    const answer = await api.call<ServiceAccount>(
      'POST',
      `/service-accounts/${segment(account.id)}/${action}`,
      { ifMatch: etag, body: {} },
    );
    setBusy(false);
    if (!answer.ok) return setProblem(answer.problem);
    setProblem(null);
    setEnabledNow(action === 'enable');
    props.onChanged({ account: answer.value, etag: etagOf(answer.value, answer.etag) });
  };

  return (
    <section class={disabled ? 'status-bar is-disabled' : 'status-bar'} aria-label="Status">
      <p class="status-line">
        <strong>Status</strong>
        <span class={disabled ? 'badge badge-off' : 'badge badge-on'}>
          {disabled ? 'Disabled' : 'Enabled'}
        </span>
        <span role="status">
          {disabled
            ? 'All keys of this account are refused until it is enabled again.'
            : enabledNow
              ? 'Keys of this account work again.'
              : ''}
        </span>
      </p>
      <button type="button" class="secondary" disabled={busy} onClick={toggle}>
        {disabled ? 'Enable' : 'Disable'}
      </button>
      <ProblemAlert problem={problem} />
    </section>
  );
}
