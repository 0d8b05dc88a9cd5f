import type { ServiceAccount } from './api-types';
import { useApp } from './app-context';
import type { FieldErrors } from './field-errors';
import { CheckboxField, CheckboxGroup, TextField } from './form-fields';

/** The editable fields of a service account, as the forms hold them. */
export interface AccountFieldValues {
  readonly name: string;
  readonly description: string;
  readonly contactEmail: string;
  readonly roles: readonly string[];
  readonly readOnly: boolean;
}

/** The field paths (JSON pointers without `#/`) {@link AccountFields} shows errors for. */
export const ACCOUNT_FIELD_PATHS = ['name', 'description', 'contactEmail', 'roles', 'readOnly'] as const;

/** Empty fields, for a new account. */
export const EMPTY_ACCOUNT_FIELDS: AccountFieldValues = {
  name: '',
  description: '',
  contactEmail: '',
  roles: [],
  readOnly: false,
};

/** The fields of a stored account. */
export function accountFieldsOf(account: ServiceAccount): AccountFieldValues {
  return {
    name: account.name,
    description: account.description ?? '',
    contactEmail: account.contactEmail ?? '',
    roles: account.roles,
    readOnly: account.readOnly,
  };
}

/**
 * Account name, Description, Contact email, the Roles the catalog offers (never the owner role)
 * and Read-only: shared by "Add service account" and "Account details".
 *
 * @example
 * ```tsx
 * <AccountFields values={values} onValues={setValues} errors={split.fields} />
 * ```
 */
export function AccountFields(props: {
  readonly values: AccountFieldValues;
  readonly onValues: (values: AccountFieldValues) => void;
  readonly errors: FieldErrors;
}) {
  const { catalog } = useApp();
  const { values, onValues, errors } = props;
  const set = (change: Partial<AccountFieldValues>) => onValues({ ...values, ...change });
  // A role the account holds but the catalog no longer offers stays visible (and checked).
  const offered = catalog.roles.map((role) => ({
    value: role.name,
    label: role.name,
    description: role.description,
  }));
  const extra = values.roles
    .filter((name) => !offered.some((role) => role.value === name))
    .map((name) => ({ value: name, label: name, description: undefined }));
  return (
    <>
      <TextField
        label="Account name"
        value={values.name}
        onValue={(name) => set({ name })}
        error={errors.name}
        required
      />
      <TextField
        label="Description"
        value={values.description}
        onValue={(description) => set({ description })}
        error={errors.description}
        hint="What the integration does, for whoever reviews access later."
        multiline
      />
      <TextField
        label="Contact email"
        type="email"
        value={values.contactEmail}
        onValue={(contactEmail) => set({ contactEmail })}
        error={errors.contactEmail}
        hint="Who to ask about this integration."
      />
      <CheckboxGroup
        legend="Roles"
        choices={[...offered, ...extra]}
        selected={values.roles}
        onSelected={(roles) => set({ roles })}
        error={errors.roles}
        empty="You may not give any role in this workspace."
      />
      <CheckboxField
        label="Read-only"
        checked={values.readOnly}
        onChecked={(readOnly) => set({ readOnly })}
        hint="Keys of this account may only read, whatever their roles allow."
      />
    </>
  );
}
