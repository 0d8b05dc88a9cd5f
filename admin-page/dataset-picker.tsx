import { useEffect, useState } from 'preact/hooks';
import type { DirectoryEntry } from './api-types';
import { CheckboxGroup, TextField } from './form-fields';

/**
 * Chooses data sets: checkboxes "Data sets" from the host's directory, or, without a directory
 * (`datasets` null), a text input "Data set ids" (ids separated by commas or spaces).
 *
 * @example
 * ```tsx
 * <DatasetPicker datasets={datasets} selected={ids} onSelected={setIds} error={errors.datasetAccess} />
 * ```
 */
export function DatasetPicker(props: {
  readonly datasets: readonly DirectoryEntry[] | null;
  readonly selected: readonly string[];
  readonly onSelected: (ids: string[]) => void;
  readonly error?: string | undefined;
}) {
  const [text, setText] = useState(props.selected.join(', '));
  // Follow a reset of the selection from outside (the form cleared), not our own typing.
  useEffect(() => {
    if (props.selected.length === 0) setText((current) => (parseIds(current).length === 0 ? current : ''));
  }, [props.selected]);
  if (props.datasets === null) {
    return (
      <TextField
        label="Data set ids"
        value={text}
        onValue={(value) => {
          setText(value);
          props.onSelected(parseIds(value));
        }}
        error={props.error}
        hint="Separate ids with commas or spaces."
      />
    );
  }
  return (
    <CheckboxGroup
      legend="Data sets"
      choices={props.datasets.map((dataset) => ({ value: dataset.id, label: dataset.name }))}
      selected={props.selected}
      onSelected={props.onSelected}
      error={props.error}
      empty="This workspace has no data sets to choose from."
    />
  );
}

/** The distinct ids of a comma- or space-separated list. */
export function parseIds(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((id) => id !== ''))];
}
