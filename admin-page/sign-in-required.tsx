/**
 * What the page shows once the API answers 401: the session is gone or was never there.
 *
 * @example
 * ```tsx
 * <SignInRequired signInUrl="/login" />
 * ```
 */
export function SignInRequired({ signInUrl }: { readonly signInUrl: string | null }) {
  return (
    <main class="sign-in">
      <h2>Sign in required</h2>
      <p>Your session has ended, or you are not signed in. Sign in again to manage API access.</p>
      {signInUrl === null ? null : (
        <p>
          <a class="button primary" href={signInUrl}>
            Sign in
          </a>
        </p>
      )}
    </main>
  );
}
