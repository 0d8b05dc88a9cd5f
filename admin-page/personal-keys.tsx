import { useEffect, useState } from 'preact/hooks';
import { query, segment } from './api-client';
import type { ApiKeyInfo, IssuedKey, Page } from './api-types';
import { useApp } from './app-context';
import { splitProblem } from './field-errors';
import { CheckboxGroup, TextField } from './form-fields';
import { KeyTable } from './key-table';
import { ModalDialog } from './modal-dialog';
import type { Problem } from './problem';
import { ProblemAlert } from './problem-alert';
import { RevokeKeyDialog } from './revoke-key-dialog';
import { SecretDialog } from './secret-dialog';

/** The dialog shown over the caller's own keys. */
type PersonalDialog =
  | { readonly kind: 'generate' }
  | { readonly kind: 'revoke'; readonly key: ApiKeyInfo }
  | { readonly kind: 'secret'; readonly issued: IssuedKey };

/**
 * "My API keys": the signed-in person's own keys in the workspace, generated with a label and
 * permissions chosen only from those the person holds, revoked after a confirmation.
 */
export function PersonalKeys() {
  const { api, workspaceId } = useApp();
  const [keys, setKeys] = useState<readonly ApiKeyInfo[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [dialog, setDialog] = useState<PersonalDialog | null>(null);

  const load = async () => {
    const answer = await api.call<Page<ApiKeyInfo>>('GET', `/me/keys${query({ workspaceId, limit: 100 })}`);
    if (answer.ok) setKeys(answer.value.items);
    else setProblem(answer.problem);
  };
  useEffect(() => {
    void load();
  }, [workspaceId]);

  const revoke = async (key: ApiKeyInfo) => {
    const answer = await api.call<ApiKeyInfo>('POST', `/me/keys/${segment(key.id)}/revoke`, { body: {} });
    if (answer.ok) {
      setDialog(null);
      void load();
    }
    return answer;
  };
  const close = () => setDialog(null);

  return (
    <section class="panel">
      <div class="panel-head">
        <h2>My API keys</h2>
        <button type="button" class="primary" onClick={() => setDialog({ kind: 'generate' })}>
          Generate API key
        </button>
      </div>
      <p class="hint">
        Your own keys act as you, with at most the permissions you hold, in this workspace only.
      </p>
      <ProblemAlert problem={problem} />
      {keys === null ? null : keys.length === 0 ? (
        <p class="muted">You have no API keys in this workspace.</p>
      ) : (
        <KeyTable
          caption="My API keys"
          nameHeader="Label"
          keys={keys}
          actions={(key) =>
            key.status === 'revoked' ? null : (
              <button
                type="button"
                class="danger small"
                aria-label={`Revoke ${key.name}`}
                onClick={() => setDialog({ kind: 'revoke', key })}
              >
                Revoke
              </button>
            )
          }
        />
      )}
      {dialog?.kind === 'generate' ? (
        <GeneratePersonalKeyDialog
          onClose={close}
          onIssued={(issued) => {
            void load();
            setDialog({ kind: 'secret', issued });
          }}
        />
      ) : null}
      {dialog?.kind === 'revoke' ? (
        <RevokeKeyDialog name={dialog.key.name} onRevoke={() => revoke(dialog.key)} onClose={close} />
      ) : null}
      {dialog?.kind === 'secret' ? (
        <SecretDialog title="API key created" issued={dialog.issued} onDone={close} />
      ) : null}
    </section>
  );
}

/** "Generate API key" for the caller: a "Label" and "Permissions" from those the caller holds. */
function GeneratePersonalKeyDialog(props: {
  readonly onClose: () => void;
  readonly onIssued: (issued: IssuedKey) => void;
}) {
  const { api, me, catalog, workspaceId } = useApp();
  const [label, setLabel] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const split = splitProblem(problem, ['name', 'scopes']);
  const held = catalog.permissions.filter((permission) => me.permissions.includes(permission.name));

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const answer = await api.call<IssuedKey>('POST', '/me/keys', {
      body: { workspaceId, name: label, scopes },
    });
    setBusy(false);
    if (!answer.ok) return setProblem(answer.problem);
    props.onIssued(answer.value);
  };

  return (
    <ModalDialog title="Generate API key" onClose={props.onClose}>
      <form class="form" onSubmit={submit} noValidate>
        <TextField label="Label" value={label} onValue={setLabel} error={split.fields.name} required />
        <CheckboxGroup
          legend="Permissions"
          hint="Only permissions you hold yourself are offered."
          choices={held.map((permission) => ({
            value: permission.name,
            label: permission.name,
            description: permission.description,
          }))}
          selected={scopes}
          onSelected={setScopes}
          error={split.fields.scopes}
          empty="You hold no permission you could give a key here."
        />
        <div class="actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            Generate
          </button>
        </div>
        <ProblemAlert problem={split.alert} />
      </form>
    </ModalDialog>
  );
}
