import { describeProblem, type Problem } from './problem';

/**
 * A problem shown next to the action it concerns (`role="alert"`), or nothing.
 *
 * @example
 * ```tsx
 * <button type="submit">Create</button>
 * <ProblemAlert problem={problem} />
 * ```
 */
export function ProblemAlert({ problem }: { readonly problem: Problem | null }) {
  if (problem === null) return null;
  return (
    <p class="alert" role="alert">
      {describeProblem(problem)}
    </p>
  );
}
