import type { IssuedKey } from './api-types';
import { CopyButton } from './copy-button';
import { ModalDialog } from './modal-dialog';
import { SampleCode } from './sample-code';

/**
 * The dialog that shows a just-issued secret, once: the account id (when given), the key id and
 * the token, each with its "Copy" button, a warning, and sample code holding the token. "Done"
 * (or Escape) closes it, and the parent drops the secret from its state.
 *
 * Without `issued` (an account created without a first key) it shows the account id only.
 *
 * @example
 * ```tsx
 * {issued ? <SecretDialog title="API key created" issued={issued} onDone={() => setIssued(null)} /> : null}
 * ```
 */
export function SecretDialog(props: {
  readonly title: string;
  readonly accountId?: string | undefined;
  readonly issued?: IssuedKey | undefined;
  readonly onDone: () => void;
}) {
  const { issued } = props;
  return (
    <ModalDialog title={props.title} onClose={props.onDone} wide>
      <dl class="secret-values">
        {props.accountId === undefined ? null : (
          <ValueRow term="Account id" value={props.accountId} copyLabel="Copy account id" />
        )}
        {issued === undefined ? null : (
          <>
            <ValueRow term="Key id" value={issued.key.id} copyLabel="Copy key id" />
            <ValueRow term="Secret" value={issued.token} copyLabel="Copy secret" secret />
          </>
        )}
      </dl>
      {issued === undefined ? null : (
        <>
          <p class="warning">
            <strong>This secret is shown only once.</strong> Copy it now and keep it in a secret store: it
            cannot be shown again. If it is lost, regenerate the key.
          </p>
          {issued.sampleCode === undefined ? null : (
            <SampleCode source={{ kind: 'issued', sample: issued.sampleCode }} />
          )}
        </>
      )}
      <div class="actions">
        <button type="button" class="primary" onClick={props.onDone}>
          Done
        </button>
      </div>
    </ModalDialog>
  );
}

/** One labelled value with its copy button. */
function ValueRow(props: {
  readonly term: string;
  readonly value: string;
  readonly copyLabel: string;
  readonly secret?: boolean | undefined;
}) {
  return (
    <div class="value-row">
      <dt>{props.term}</dt>
      <dd>
        <code class={props.secret ? 'value secret' : 'value'}>{props.value}</code>
        <CopyButton text={props.value} label={props.copyLabel} />
      </dd>
    </div>
  );
}
