import type { ComponentChildren } from 'preact';
import type { ApiKeyInfo, KeyStatus } from './api-types';
import { formatInstant } from './dates';
import { ScrollRegion } from './scroll-region';

/** The words of each key status. */
const STATUS_WORDS: Readonly<Record<KeyStatus, string>> = {
  active: 'Active',
  disabled: 'Disabled',
  expired: 'Expired',
  revoked: 'Revoked',
};

/**
 * A table of keys: name, start of the key, created, last used, expiry, status, and the row's
 * actions.
 *
 * @example
 * ```tsx
 * <KeyTable caption="API keys" keys={keys} actions={(key) => <button>Revoke {key.name}</button>} />
 * ```
 */
export function KeyTable(props: {
  readonly caption: string;
  readonly keys: readonly ApiKeyInfo[];
  readonly nameHeader?: string | undefined;
  readonly actions: (key: ApiKeyInfo) => ComponentChildren;
  /** The keys' account is disabled: a key that is otherwise active is refused all the same. */
  readonly accountDisabled?: boolean | undefined;
}) {
  return (
    <ScrollRegion label={props.caption}>
      <table class="table key-table">
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.nameHeader ?? 'Name'}</th>
            <th scope="col">Key</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.keys.map((key) => (
            <tr key={key.id}>
              <th scope="row">{key.name}</th>
              <td>
                <code class="key-start" title={`${key.start}…`}>
                  {key.start}…
                </code>
              </td>
              <td class="when">{formatInstant(key.createdAt)}</td>
              <td class="when">{formatInstant(key.lastUsedAt, 'Never')}</td>
              <td class="when">{formatInstant(key.expiresAt, 'Never')}</td>
              <td>
                {props.accountDisabled === true && key.status === 'active' ? (
                  <span class="badge status-disabled">Stopped: account disabled</span>
                ) : (
                  <span class={`badge status-${key.status}`}>{STATUS_WORDS[key.status]}</span>
                )}
                {key.previousSecretActive ? <span class="hint"> previous secret still accepted</span> : null}
              </td>
              <td class="row-actions">{props.actions(key)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
