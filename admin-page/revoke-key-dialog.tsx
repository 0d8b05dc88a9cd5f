import type { ApiResult } from './api-client';
import { ConfirmDialog } from './confirm-dialog';

/**
 * "Revoke API key?": the confirmation before a key (an account's or a person's own) is revoked,
 * which is final.
 *
 * @example
 * ```tsx
 * <RevokeKeyDialog name={key.name} onRevoke={() => revoke(key)} onClose={close} />
 * ```
 */
export function RevokeKeyDialog(props: {
  readonly name: string;
  readonly onRevoke: () => Promise<ApiResult<unknown>>;
  readonly onClose: () => void;
}) {
  return (
    <ConfirmDialog
      title="Revoke API key?"
      confirm="Revoke"
      danger
      onConfirm={props.onRevoke}
      onClose={props.onClose}
    >
      <p>
        <strong>{props.name}</strong> stops working at once, for good. Systems using it get 401 until they
        switch to another key.
      </p>
    </ConfirmDialog>
  );
}
