import { useEffect, useState } from 'preact/hooks';
import type { VersionedAccount } from './account-details';
import { etagOf } from './account-details';
import { segment } from './api-client';
import type { DatasetAccess, ServiceAccount } from './api-types';
import { datasetName, useApp } from './app-context';
import { DatasetPicker } from './dataset-picker';
import { ModalDialog } from './modal-dialog';
import type { Problem } from './problem';
import { ProblemAlert } from './problem-alert';

/**
 * The "Data sets" section of an account: "All workspace data", or one row per data set with its
 * remove button (the X, "Remove <name>"); "Select data sets" adds some, "Save data sets" stores the
 * list (`PUT /datasets` with `If-Match`).
 */
export function DatasetAccessSection(props: {
  readonly current: VersionedAccount;
  readonly onChanged: (next: VersionedAccount) => void;
}) {
  const { api, datasets } = useApp();
  const { account, etag } = props.current;
  const [draft, setDraft] = useState<DatasetAccess>(account.datasetAccess);
  const [picking, setPicking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => setDraft(account.datasetAccess), [account]);

  const selected = draft.mode === 'selected' ? draft.datasetIds : [];
  const unchanged = JSON.stringify(draft) === JSON.stringify(account.datasetAccess);
  const remove = (id: string) => {
    setSaved(false);
    setDraft({ mode: 'selected', datasetIds: selected.filter((chosen) => chosen !== id) });
  };
  const add = (ids: readonly string[]) => {
    setSaved(false);
    setDraft({ mode: 'selected', datasetIds: [...selected, ...ids.filter((id) => !selected.includes(id))] });
    setPicking(false);
  };
  const save = async () => {
    setBusy(true);
    const answer = await api.call<ServiceAccount>(
      'PUT',
      `/service-accounts/${segment(account.id)}/datasets`,
      {
        ifMatch: etag,
        body: { datasetAccess: draft },
      },
    );
    setBusy(false);
    if (!answer.ok) return setProblem(answer.problem);
    setProblem(null);
    setSaved(true);
    props.onChanged({ account: answer.value, etag: etagOf(answer.value, answer.etag) });
  };

  return (
    <section class="panel" aria-labelledby="datasets-title">
      <h3 id="datasets-title">Data sets</h3>
      {draft.mode === 'all' ? (
        <p class="access-all">All workspace data</p>
      ) : selected.length === 0 ? (
        <p class="muted">No data set selected: add one, or grant all workspace data.</p>
      ) : (
        <ul class="dataset-rows">
          {selected.map((id) => {
            const name = datasetName(datasets, id);
            return (
              <li key={id}>
                <span>
                  {name}
                  {name === id ? null : <code class="muted"> {id}</code>}
                </span>
                <button
                  type="button"
                  class="icon-button"
                  aria-label={`Remove ${name}`}
                  onClick={() => remove(id)}
                >
                  <span aria-hidden="true">×</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={() => setPicking(true)}>
          Select data sets
        </button>
        {draft.mode === 'selected' ? (
          <button type="button" class="secondary" onClick={() => setDraft({ mode: 'all' })}>
            Grant all workspace data
          </button>
        ) : null}
        <button
          type="button"
          class="primary"
          disabled={busy || unchanged || (draft.mode === 'selected' && selected.length === 0)}
          onClick={save}
        >
          Save data sets
        </button>
        <span role="status" class="saved-status">
          {saved ? 'Saved' : unchanged ? '' : 'Unsaved changes'}
        </span>
      </div>
      <ProblemAlert problem={problem} />
      {picking ? (
        <SelectDatasetsDialog exclude={selected} onAdd={add} onClose={() => setPicking(false)} />
      ) : null}
    </section>
  );
}

/** "Select data sets": the workspace's data sets not yet in the list, and "Add". */
function SelectDatasetsDialog(props: {
  readonly exclude: readonly string[];
  readonly onAdd: (ids: readonly string[]) => void;
  readonly onClose: () => void;
}) {
  const { datasets } = useApp();
  const [chosen, setChosen] = useState<string[]>([]);
  const offered = datasets?.filter((dataset) => !props.exclude.includes(dataset.id)) ?? null;
  return (
    <ModalDialog title="Select data sets" onClose={props.onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          props.onAdd(chosen);
        }}
      >
        <DatasetPicker datasets={offered} selected={chosen} onSelected={setChosen} />
        <div class="actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={chosen.length === 0}>
            Add
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
