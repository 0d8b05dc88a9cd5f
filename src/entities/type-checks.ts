/** `T` without `readonly`, deeply (Dates kept): for comparing a TypeScript type with a zod schema's. @internal */
export type Writable<T> = T extends Date
  ? T
  : T extends readonly (infer E)[]
    ? Writable<E>[]
    : T extends object
      ? { -readonly [K in keyof T]: Writable<T[K]> }
      : T;

/** Compiles only for `true`: `Holds<Same<A, B>>` fails the build when a type and its schema drift apart. @internal */
export type Holds<T extends true> = T;
