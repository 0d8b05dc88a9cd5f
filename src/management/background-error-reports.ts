/** Where each instance's background errors go: its `onBackgroundError`, held out of its public shape. */
const reporters = new WeakMap<object, (error: unknown) => void>();

/**
 * Records `report` (the config's `onBackgroundError`) as where failures around `instance` go, for
 * the parts a host builds over it (the management API); returns `instance`.
 *
 * @internal
 */
export function reportingBackgroundErrors<T extends object>(
  instance: T,
  report: (error: unknown) => void,
): T {
  reporters.set(instance, report);
  return instance;
}

/**
 * Reports `error` to the `onBackgroundError` of `instance` (nowhere for an instance keyward did not
 * build). Never throws: when the host's hook throws too, nothing is left to tell.
 *
 * @internal
 */
export function reportBackgroundError(instance: object, error: unknown): void {
  try {
    reporters.get(instance)?.(error);
  } catch {
    // The host's error hook failed too: the call it is about stands.
  }
}
