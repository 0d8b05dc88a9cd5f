import { useEffect, useState } from 'preact/hooks';
import { query, segment } from './api-client';
import type { ApiKeyInfo, IssuedKey, Page, ServiceAccount } from './api-types';
import { useApp } from './app-context';
import { GenerateKeyDialog } from './generate-key-dialog';
import { KeyTable } from './key-table';
import type { Problem } from './problem';
import { ProblemAlert } from './problem-alert';
import { RegenerateKeyDialog } from './regenerate-key-dialog';
import { RevokeKeyDialog } from './revoke-key-dialog';
import { SecretDialog } from './secret-dialog';

/** What dialog the panel shows. The secret lives here only, and goes with "Done". */
type KeyDialog =
  | { readonly kind: 'generate' }
  | { readonly kind: 'regenerate'; readonly key: ApiKeyInfo }
  | { readonly kind: 'revoke'; readonly key: ApiKeyInfo }
  | { readonly kind: 'secret'; readonly title: string; readonly issued: IssuedKey };

/**
 * The "API keys" section of an account: the table of its keys with "Regenerate" and "Revoke" per
 * key, and "Generate API key" (disabled at the configured limit of keys per account).
 */
export function KeysPanel(props: { readonly account: ServiceAccount; readonly onActivity: () => void }) {
  const { api, me } = useApp();
  const { account } = props;
  const [keys, setKeys] = useState<readonly ApiKeyInfo[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [dialog, setDialog] = useState<KeyDialog | null>(null);

  const load = async () => {
    const answer = await api.call<Page<ApiKeyInfo>>(
      'GET',
      `/service-accounts/${segment(account.id)}/keys${query({ limit: 100 })}`,
    );
    if (answer.ok) setKeys(answer.value.items);
    else setProblem(answer.problem);
  };
  useEffect(() => {
    void load();
  }, [account.id]);

  const changed = () => {
    void load();
    props.onActivity();
  };
  const showSecret = (title: string, issued: IssuedKey) => {
    changed();
    setDialog({ kind: 'secret', title, issued });
  };
  const revoke = async (key: ApiKeyInfo) => {
    const answer = await api.call<ApiKeyInfo>('POST', `/keys/${segment(key.id)}/revoke`, { body: {} });
    if (answer.ok) {
      setDialog(null);
      changed();
    }
    return answer;
  };

  // Revoked keys free their slot; disabled and expired ones still count (see insertKeyIfUnderLimit).
  const limit = me.limits.maxKeysPerAccount;
  const atLimit = keys !== null && keys.filter((key) => key.status !== 'revoked').length >= limit;
  const close = () => setDialog(null);
  return (
    <section class="panel" aria-labelledby="keys-title">
      <div class="panel-head">
        <h3 id="keys-title">API keys</h3>
        <button
          type="button"
          class="primary"
          disabled={atLimit}
          aria-describedby="key-limit-note"
          onClick={() => setDialog({ kind: 'generate' })}
        >
          Generate API key
        </button>
      </div>
      <p id="key-limit-note" class={atLimit ? 'note' : 'hint'}>
        At most {limit} {limit === 1 ? 'key' : 'keys'} per account
        {atLimit
          ? ': revoke one to generate another.'
          : limit >= 2
            ? ' (two let you rotate without downtime).'
            : '.'}
      </p>
      <ProblemAlert problem={problem} />
      {keys === null ? null : keys.length === 0 ? (
        <p class="muted">No keys yet.</p>
      ) : (
        <KeyTable
          caption={`API keys of ${account.name}`}
          keys={keys}
          accountDisabled={account.status === 'disabled'}
          actions={(key) =>
            key.status === 'revoked' ? null : (
              <>
                <button
                  type="button"
                  class="secondary small"
                  aria-label={`Regenerate ${key.name}`}
                  onClick={() => setDialog({ kind: 'regenerate', key })}
                >
                  Regenerate
                </button>
                <button
                  type="button"
                  class="danger small"
                  aria-label={`Revoke ${key.name}`}
                  onClick={() => setDialog({ kind: 'revoke', key })}
                >
                  Revoke
                </button>
              </>
            )
          }
        />
      )}
      {dialog?.kind === 'generate' ? (
        <GenerateKeyDialog
          account={account}
          onClose={close}
          onIssued={(issued) => showSecret('API key created', issued)}
        />
      ) : null}
      {dialog?.kind === 'regenerate' ? (
        <RegenerateKeyDialog
          keyInfo={dialog.key}
          onClose={close}
          onIssued={(issued) => showSecret('API key regenerated', issued)}
        />
      ) : null}
      {dialog?.kind === 'revoke' ? (
        <RevokeKeyDialog name={dialog.key.name} onRevoke={() => revoke(dialog.key)} onClose={close} />
      ) : null}
      {dialog?.kind === 'secret' ? (
        <SecretDialog title={dialog.title} issued={dialog.issued} onDone={close} />
      ) : null}
    </section>
  );
}
