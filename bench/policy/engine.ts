import type { BenchRequest } from './request-mix.js';

/** The engines compared. */
export type EngineName = 'keyward' | 'cedar-wasm' | 'casbin';

/**
 * One engine, loaded with a world. `encode` turns a request into the engine's own input once,
 * outside the timed loop (as an application would hold compiled principals or prebuilt
 * entities); `decide` is what is timed.
 */
export interface Engine<E = unknown> {
  readonly name: EngineName;
  encode(request: BenchRequest): E;
  decide(encoded: E): boolean;
}
