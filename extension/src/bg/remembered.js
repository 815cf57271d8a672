// @ts-check
// A storage read the background keeps until storage says it changed. Every page load of a bound
// tab asks for its binding and its cluster; reading storage each time was a round trip to the
// browser's UI thread while the page loads. Storage stays the truth: a restarted worker reads it
// again, and any change to the keys (from this worker or elsewhere) drops the copy.
import { ext } from "../messages.js";

/**
 * @template T
 * @param {() => Promise<T>} read reads the value from storage
 * @param {string[]} keys the storage keys it is made of
 */
export function remembered(read, keys) {
  /** @type {Promise<T> | undefined} */
  let known;
  ext?.storage?.onChanged?.addListener((changes) => {
    if (keys.some((k) => k in changes)) known = undefined;
  });
  return {
    /** The value: a copy, the caller's to change. @returns {Promise<T>} */
    async get() {
      known ??= read();
      const current = known;
      current.catch(() => {
        if (known === current) known = undefined; // a failed read is not remembered
      });
      return structuredClone(await current);
    },
    /** What was just written, so the next read need not go to storage. @param {T} value */
    set(value) {
      known = Promise.resolve(structuredClone(value));
    },
    /** Forgets the value: the next read goes to storage. */
    forget() {
      known = undefined;
    },
  };
}
