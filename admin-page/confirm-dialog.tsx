import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiResult } from './api-client';
import { ModalDialog } from './modal-dialog';
import type { Problem } from './problem';
import { ProblemAlert } from './problem-alert';

/**
 * A question before an action that cannot be taken back: Cancel, or the action's button. The
 * dialog stays open with the problem when the action is refused.
 *
 * @example
 * ```tsx
 * <ConfirmDialog title="Revoke API key?" confirm="Revoke" onConfirm={revoke} onClose={close}>
 *   <p>Apps using this key stop working at once.</p>
 * </ConfirmDialog>
 * ```
 */
export function ConfirmDialog(props: {
  readonly title: string;
  readonly confirm: string;
  readonly onConfirm: () => Promise<ApiResult<unknown>>;
  readonly onClose: () => void;
  readonly children: ComponentChildren;
  readonly danger?: boolean | undefined;
}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const confirm = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const result = await props.onConfirm();
    setBusy(false);
    if (!result.ok) setProblem(result.problem);
  };
  return (
    <ModalDialog title={props.title} onClose={props.onClose}>
      <form onSubmit={confirm}>
        {props.children}
        <div class="actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class={props.danger ? 'danger' : 'primary'} disabled={busy}>
            {props.confirm}
          </button>
        </div>
        <ProblemAlert problem={problem} />
      </form>
    </ModalDialog>
  );
}
