// The KubeopenError a call throws or a promise rejects with, failing the test on anything else
// (or on no error). Shared by the Node tests of the package.
import assert from "node:assert/strict";
import { KubeopenError } from "kubeopen/cluster";

/** Calls `fn` and returns the KubeopenError it throws. @param {() => unknown} fn */
export function thrown(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof KubeopenError, `not a KubeopenError: ${e}`);
    return e;
  }
  assert.fail("did not throw");
}

/** The KubeopenError `promise` rejects with. @param {Promise<unknown>} promise */
export async function rejected(promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof KubeopenError, `not a KubeopenError: ${/** @type {any} */ (e)?.stack ?? e}`);
    return e;
  }
  assert.fail("did not reject");
}
