/**
 * `keyward/node`: Node-only extras, kept out of the runtime-neutral core.
 *
 * @module
 */
export { nodeHasher } from './node-hasher.js';
