import { useState } from 'preact/hooks';
import { segment } from './api-client';
import type { ApiKeyInfo, IssuedKey } from './api-types';
import { useApp } from './app-context';
import { splitProblem } from './field-errors';
import { TextField } from './form-fields';
import { ModalDialog } from './modal-dialog';
import type { Problem } from './problem';
import { ProblemAlert } from './problem-alert';

/**
 * "Regenerate API key?": a new secret for the same key id, the old one kept for an optional grace
 * period (in minutes, at most 7 days).
 */
export function RegenerateKeyDialog(props: {
  readonly keyInfo: ApiKeyInfo;
  readonly onClose: () => void;
  readonly onIssued: (issued: IssuedKey) => void;
}) {
  const { api } = useApp();
  const [minutes, setMinutes] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const split = splitProblem(problem, ['gracePeriodSeconds']);

  const submit = async (event: Event) => {
    event.preventDefault();
    const grace = minutes.trim() === '' ? 0 : Number(minutes);
    setBusy(true);
    const answer = await api.call<IssuedKey>('POST', `/keys/${segment(props.keyInfo.id)}/regenerate`, {
      body: { gracePeriodSeconds: Number.isFinite(grace) ? Math.round(grace * 60) : -1 },
    });
    setBusy(false);
    if (!answer.ok) return setProblem(answer.problem);
    props.onIssued(answer.value);
  };

  return (
    <ModalDialog title="Regenerate API key?" onClose={props.onClose}>
      <form class="form" onSubmit={submit} noValidate>
        <p>
          <strong>{props.keyInfo.name}</strong> keeps its id and gets a new secret. Without a grace period the
          current secret stops working at once.
        </p>
        <TextField
          label="Grace period (minutes)"
          type="number"
          min="0"
          value={minutes}
          onValue={setMinutes}
          error={split.fields.gracePeriodSeconds}
          hint="Optional: how long the current secret keeps working, to roll the new one out (at most 10080)."
        />
        <div class="actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            Regenerate
          </button>
        </div>
        <ProblemAlert problem={split.alert} />
      </form>
    </ModalDialog>
  );
}
