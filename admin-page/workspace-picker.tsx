import { useEffect, useId, useState } from 'preact/hooks';
import type { DirectoryEntry } from './api-types';

/**
 * The "Workspace" control of the header: a select of the host's workspaces, or, when the host has
 * no directory (`workspaces` is `null`), a text input for a workspace id.
 *
 * @example
 * ```tsx
 * <WorkspacePicker workspaces={list} value={workspaceId} onChange={setWorkspaceId} />
 * ```
 */
export function WorkspacePicker(props: {
  readonly workspaces: readonly DirectoryEntry[] | null;
  readonly value: string;
  readonly onChange: (workspaceId: string) => void;
}) {
  const id = useId();
  const [draft, setDraft] = useState(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  return (
    <div class="workspace-picker">
      <label for={id}>Workspace</label>
      {props.workspaces === null ? (
        <input
          id={id}
          type="text"
          value={draft}
          placeholder="w_..."
          onInput={(event) => setDraft(event.currentTarget.value)}
          onChange={(event) => props.onChange(event.currentTarget.value.trim())}
        />
      ) : (
        <select id={id} value={props.value} onChange={(event) => props.onChange(event.currentTarget.value)}>
          {props.workspaces.map((workspace) => (
            <option key={workspace.id} value={workspace.id}>
              {workspace.name}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
