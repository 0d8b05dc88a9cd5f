import { useState } from 'preact/hooks';
import type { VersionedAccount } from './account-details';
import { segment } from './api-client';
import { useApp } from './app-context';
import { ConfirmDialog } from './confirm-dialog';

/**
 * "Remove service account", after a confirmation that says it cannot be undone and deletes every
 * key. Once removed, the page goes back to the list.
 */
export function RemoveAccount({ current }: { readonly current: VersionedAccount }) {
  const { api, navigate, accountsChanged } = useApp();
  const [asking, setAsking] = useState(false);
  const { account, etag } = current;
  const remove = async () => {
    const answer = await api.call<undefined>('DELETE', `/service-accounts/${segment(account.id)}`, {
      ifMatch: etag,
    });
    if (answer.ok) {
      setAsking(false);
      accountsChanged();
      navigate({ screen: 'home' });
    }
    return answer;
  };
  return (
    <section class="panel danger-zone" aria-labelledby="remove-title">
      <h3 id="remove-title">Remove</h3>
      <p>Removing the account deletes its keys; systems using them lose access at once.</p>
      <button type="button" class="danger" onClick={() => setAsking(true)}>
        Remove service account
      </button>
      {asking ? (
        <ConfirmDialog
          title="Remove service account?"
          confirm="Remove"
          danger
          onConfirm={remove}
          onClose={() => setAsking(false)}
        >
          <p>
            This cannot be undone: removing <strong>{account.name}</strong> deletes every key of the account,
            and every system using one of them loses access at once.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
