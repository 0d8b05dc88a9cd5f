import { useEffect, useState } from 'preact/hooks';
import type { VersionedAccount } from './account-details';
import { etagOf } from './account-details';
import {
  ACCOUNT_FIELD_PATHS,
  AccountFields,
  type AccountFieldValues,
  accountFieldsOf,
} from './account-fields';
import { segment } from './api-client';
import type { ServiceAccount } from './api-types';
import { useApp } from './app-context';
import { splitProblem } from './field-errors';
import { isEditConflict, type Problem } from './problem';
import { ProblemAlert } from './problem-alert';

/**
 * The "Account details" form: name, contact email, description, roles and read-only, saved with
 * `If-Match`. When someone else changed the account meanwhile (412, 409), nothing is overwritten:
 * the form says so and offers "Reload".
 */
export function AccountSettingsForm(props: {
  readonly current: VersionedAccount;
  readonly onChanged: (next: VersionedAccount) => void;
  readonly onReload: () => Promise<void>;
}) {
  const { api } = useApp();
  const { account, etag } = props.current;
  const [values, setValues] = useState<AccountFieldValues>(() => accountFieldsOf(account));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  // A newer version read from the server (after Reload) replaces the edits.
  useEffect(() => setValues(accountFieldsOf(account)), [account]);
  const split = splitProblem(problem, [...ACCOUNT_FIELD_PATHS]);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    const answer = await api.call<ServiceAccount>('PATCH', `/service-accounts/${segment(account.id)}`, {
      ifMatch: etag,
      body: {
        name: values.name,
        description: values.description === '' ? null : values.description,
        contactEmail: values.contactEmail === '' ? null : values.contactEmail,
        roles: values.roles,
        readOnly: values.readOnly,
      },
    });
    setBusy(false);
    if (!answer.ok) return setProblem(answer.problem);
    setProblem(null);
    setSaved(true);
    props.onChanged({ account: answer.value, etag: etagOf(answer.value, answer.etag) });
  };

  const reload = async () => {
    await props.onReload();
    setProblem(null);
  };

  const conflict = problem !== null && isEditConflict(problem);
  return (
    <section class="panel" aria-labelledby="details-title">
      <h3 id="details-title">Details</h3>
      <form aria-label="Account details" class="form" onSubmit={save} noValidate>
        <AccountFields values={values} onValues={setValues} errors={split.fields} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Save
          </button>
          <span role="status" class="saved-status">
            {saved ? 'Saved' : ''}
          </span>
        </div>
        {conflict ? (
          <div class="alert" role="alert">
            <p>
              This account was changed by someone else since you loaded it. Your changes were not saved:
              reload to see the latest version, then edit again.
            </p>
            <button type="button" class="secondary small" onClick={reload}>
              Reload
            </button>
          </div>
        ) : (
          <ProblemAlert problem={split.alert} />
        )}
      </form>
    </section>
  );
}
