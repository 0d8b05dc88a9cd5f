import { useState } from 'preact/hooks';
import {
  ACCOUNT_FIELD_PATHS,
  AccountFields,
  type AccountFieldValues,
  EMPTY_ACCOUNT_FIELDS,
} from './account-fields';
import type { CreatedAccount, DatasetAccess } from './api-types';
import { useApp } from './app-context';
import { DatasetPicker } from './dataset-picker';
import { splitProblem } from './field-errors';
import { CheckboxField, TextField } from './form-fields';
import type { Problem } from './problem';
import { ProblemAlert } from './problem-alert';
import { SecretDialog } from './secret-dialog';

/** The field paths of this form: the account's, data sets, and the first key's name. */
const FIELD_PATHS = [...ACCOUNT_FIELD_PATHS, 'datasetAccess', 'firstKey/name', 'firstKey'];

/**
 * "Add service account": the account's fields, its access to data sets (all, or chosen ones),
 * and optionally a first API key. On success, "Service account created" shows the ids and the
 * secret once; "Done" opens the new account.
 */
export function AccountForm() {
  const { api, workspaceId, datasets, navigate, accountsChanged } = useApp();
  const [values, setValues] = useState<AccountFieldValues>(EMPTY_ACCOUNT_FIELDS);
  const [mode, setMode] = useState<'all' | 'selected'>('all');
  const [datasetIds, setDatasetIds] = useState<string[]>([]);
  const [withKey, setWithKey] = useState(false);
  const [keyName, setKeyName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [created, setCreated] = useState<CreatedAccount | null>(null);
  const split = splitProblem(problem, FIELD_PATHS);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const datasetAccess: DatasetAccess = mode === 'all' ? { mode: 'all' } : { mode: 'selected', datasetIds };
    const answer = await api.call<CreatedAccount>('POST', '/service-accounts', {
      body: {
        workspaceId,
        name: values.name,
        ...(values.description === '' ? {} : { description: values.description }),
        ...(values.contactEmail === '' ? {} : { contactEmail: values.contactEmail }),
        roles: values.roles,
        readOnly: values.readOnly,
        datasetAccess,
        ...(withKey ? { firstKey: { name: keyName } } : {}),
      },
    });
    setBusy(false);
    if (!answer.ok) return setProblem(answer.problem);
    setProblem(null);
    accountsChanged();
    setCreated(answer.value);
  };

  const done = () => {
    const id = created?.account.id;
    setCreated(null);
    if (id !== undefined) navigate({ screen: 'account', id });
  };

  return (
    <section class="panel">
      <h2>Add service account</h2>
      <form aria-label="Add service account" class="form" onSubmit={submit} noValidate>
        <AccountFields values={values} onValues={setValues} errors={split.fields} />
        <fieldset class="field choices">
          <legend>Access to data sets</legend>
          <div class="radio">
            <input
              type="radio"
              id="access-all"
              name="dataset-access"
              checked={mode === 'all'}
              onChange={() => setMode('all')}
            />
            <label for="access-all">Grant all workspace data</label>
          </div>
          <div class="radio">
            <input
              type="radio"
              id="access-selected"
              name="dataset-access"
              checked={mode === 'selected'}
              onChange={() => setMode('selected')}
            />
            <label for="access-selected">Select data sets manually</label>
          </div>
        </fieldset>
        {mode === 'selected' ? (
          <DatasetPicker
            datasets={datasets}
            selected={datasetIds}
            onSelected={setDatasetIds}
            error={split.fields.datasetAccess}
          />
        ) : null}
        <CheckboxField label="Create a first API key" checked={withKey} onChecked={setWithKey} />
        {withKey ? (
          <TextField
            label="Key name"
            value={keyName}
            onValue={setKeyName}
            error={split.fields['firstKey/name'] ?? split.fields.firstKey}
            required
          />
        ) : null}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Create
          </button>
        </div>
        <ProblemAlert problem={split.alert} />
      </form>
      {created === null ? null : (
        <SecretDialog
          title="Service account created"
          accountId={created.account.id}
          issued={created.key}
          onDone={done}
        />
      )}
    </section>
  );
}
