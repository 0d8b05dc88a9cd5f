/**
 * Labelled form controls, each showing its own error message (tied with `aria-invalid` and
 * `aria-describedby`).
 *
 * @packageDocumentation
 */
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { errorAttributes, errorId } from './field-errors';

/** The error message under a field, with the id the field's `aria-describedby` names. */
export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (error === undefined) return null;
  return (
    <p class="field-error" id={errorId(id)}>
      {error}
    </p>
  );
}

/** Props of {@link TextField}. */
export interface TextFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly error?: string | undefined;
  readonly type?: 'text' | 'email' | 'date' | 'number' | undefined;
  readonly hint?: string | undefined;
  readonly required?: boolean | undefined;
  readonly multiline?: boolean | undefined;
  readonly min?: string | undefined;
}

/**
 * A labelled text input (or textarea) with its hint and error.
 *
 * @example
 * ```tsx
 * <TextField label="Account name" value={name} onValue={setName} error={errors.name} required />
 * ```
 */
export function TextField(props: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const attributes = errorAttributes(id, props.error);
  const describedBy =
    [props.hint === undefined ? undefined : hintId, attributes['aria-describedby']]
      .filter((value) => value !== undefined)
      .join(' ') || undefined;
  const shared = {
    id,
    value: props.value,
    required: props.required,
    'aria-invalid': attributes['aria-invalid'],
    'aria-describedby': describedBy,
    onInput: (event: Event) => props.onValue((event.currentTarget as HTMLInputElement).value),
  };
  // Preact's types tie each input `type` to the roles it may take; one union of types does not
  // narrow, so it is typed as one of them (every one we use is a plain text-like input).
  const type = (props.type ?? 'text') as 'text';
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.hint === undefined ? null : (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
      {props.multiline ? (
        <textarea rows={3} {...shared} />
      ) : (
        <input type={type} min={props.min} {...shared} />
      )}
      <FieldError id={id} error={props.error} />
    </div>
  );
}

/** A labelled checkbox. */
export function CheckboxField(props: {
  readonly label: string;
  readonly checked: boolean;
  readonly onChecked: (checked: boolean) => void;
  readonly hint?: string | undefined;
}) {
  const id = useId();
  return (
    <div class="field checkbox">
      <input
        type="checkbox"
        id={id}
        checked={props.checked}
        aria-describedby={props.hint === undefined ? undefined : `${id}-hint`}
        onChange={(event) => props.onChecked(event.currentTarget.checked)}
      />
      <label for={id}>{props.label}</label>
      {props.hint === undefined ? null : (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** One choice of a {@link CheckboxGroup}. */
export interface Choice {
  readonly value: string;
  readonly label: string;
  readonly description?: string | undefined;
}

/**
 * A fieldset of checkboxes with its legend, the chosen values and an error for the whole group.
 *
 * @example
 * ```tsx
 * <CheckboxGroup legend="Roles" choices={roles} selected={chosen} onSelected={setChosen} />
 * ```
 */
export function CheckboxGroup(props: {
  readonly legend: string;
  readonly choices: readonly Choice[];
  readonly selected: readonly string[];
  readonly onSelected: (values: string[]) => void;
  readonly error?: string | undefined;
  readonly hint?: ComponentChildren;
  readonly empty?: string | undefined;
}) {
  const id = useId();
  const toggle = (value: string, checked: boolean) =>
    props.onSelected(
      checked ? [...props.selected, value] : props.selected.filter((chosen) => chosen !== value),
    );
  return (
    <fieldset class="field choices" {...errorAttributes(id, props.error)}>
      <legend>{props.legend}</legend>
      {props.hint === undefined ? null : <p class="hint">{props.hint}</p>}
      {props.choices.length === 0 ? <p class="hint">{props.empty ?? 'Nothing to choose from.'}</p> : null}
      {props.choices.map((choice) => (
        <div class="checkbox" key={choice.value}>
          <input
            type="checkbox"
            id={`${id}-${choice.value}`}
            checked={props.selected.includes(choice.value)}
            onChange={(event) => toggle(choice.value, event.currentTarget.checked)}
          />
          <label for={`${id}-${choice.value}`}>
            {choice.label}
            {choice.description === undefined ? null : <span class="choice-note"> {choice.description}</span>}
          </label>
        </div>
      ))}
      <FieldError id={id} error={props.error} />
    </fieldset>
  );
}
