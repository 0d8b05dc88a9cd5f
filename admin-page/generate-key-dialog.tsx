import { useEffect, useState } from 'preact/hooks';
import { query, segment } from './api-client';
import type { Catalog, IssuedKey, ServiceAccount } from './api-types';
import { useApp } from './app-context';
import { endOfDay } from './dates';
import { splitProblem } from './field-errors';
import { CheckboxGroup, TextField } from './form-fields';
import { ModalDialog } from './modal-dialog';
import type { Problem } from './problem';
import { ProblemAlert } from './problem-alert';

/**
 * The permissions a key of the account may be scoped to: those the caller and the account both
 * hold (`GET /catalog?serviceAccountId=`; a read-only account holds only read permissions).
 * `null` while loading; a problem when the API refuses.
 */
function useAccountScopes(accountId: string): {
  readonly permissions: Catalog['permissions'] | null;
  readonly problem: Problem | null;
} {
  const { api } = useApp();
  const [permissions, setPermissions] = useState<Catalog['permissions'] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    let current = true;
    void api.call<Catalog>('GET', `/catalog${query({ serviceAccountId: accountId })}`).then((answer) => {
      if (!current) return;
      if (answer.ok) setPermissions(answer.value.permissions);
      else setProblem(answer.problem);
    });
    return () => {
      current = false;
    };
  }, [accountId]);
  return { permissions, problem };
}

/**
 * "Generate API key" for a service account: a name, an optional expiry date, and optional scopes
 * among the permissions both the caller and the account hold (none chosen: the account's full
 * rights).
 */
export function GenerateKeyDialog(props: {
  readonly account: ServiceAccount;
  readonly onClose: () => void;
  readonly onIssued: (issued: IssuedKey) => void;
}) {
  const { api } = useApp();
  const offered = useAccountScopes(props.account.id);
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const split = splitProblem(problem, ['name', 'expiresAt', 'scopes']);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const answer = await api.call<IssuedKey>('POST', `/service-accounts/${segment(props.account.id)}/keys`, {
      body: {
        name,
        ...(expires === '' ? {} : { expiresAt: endOfDay(expires) }),
        ...(scopes.length === 0 ? {} : { scopes }),
      },
    });
    setBusy(false);
    if (!answer.ok) return setProblem(answer.problem);
    props.onIssued(answer.value);
  };

  return (
    <ModalDialog title="Generate API key" onClose={props.onClose}>
      <form class="form" onSubmit={submit} noValidate>
        <TextField label="Key name" value={name} onValue={setName} error={split.fields.name} required />
        <TextField
          label="Expires"
          type="date"
          value={expires}
          onValue={setExpires}
          error={split.fields.expiresAt}
          hint="Optional: the key stops working at the end of this day."
          min={new Date().toISOString().slice(0, 10)}
        />
        <CheckboxGroup
          legend="Scopes"
          hint="Optional: choose some to give the key less than the account's roles allow."
          choices={(offered.permissions ?? []).map((permission) => ({
            value: permission.name,
            label: permission.name,
            description: permission.description,
          }))}
          selected={scopes}
          onSelected={setScopes}
          error={split.fields.scopes}
          empty={
            offered.permissions !== null
              ? 'The account holds no permission you could give a key.'
              : offered.problem === null
                ? 'Loading the permissions of this account…'
                : 'The permissions of this account could not be loaded.'
          }
        />
        <ProblemAlert problem={offered.problem} />
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
