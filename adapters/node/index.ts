/**
 * `keyward/node`: Node-only extras, kept out of the runtime-neutral core.
 *
 * @packageDocumentation
 * @module keyward/node
 */
export { nodeHasher } from './node-hasher.js';
