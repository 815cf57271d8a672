// @ts-check
// The playground page: each section is its own small view over the npm package.
import { version } from "kubeopen";
import { byId } from "./dom.js";
import { mountAddress } from "./address-view.js";
import { mountSegment } from "./segment-view.js";
import { mountRewrite } from "./rewrite-view.js";
import { mountToken } from "./token-view.js";
import { mountKubeconfig } from "./kubeconfig-view.js";
import { SAMPLE_CSS, SAMPLE_HTML } from "./samples.js";

byId("version", HTMLElement).textContent = version();

const form = byId("rewrite-form", HTMLFormElement);
const kinds = /** @type {RadioNodeList} */ (form.elements.namedItem("rewrite-kind"));
const rewriteInput = byId("rewrite-input", HTMLTextAreaElement);
rewriteInput.value = SAMPLE_HTML;
for (const radio of kinds) {
  // Switching the kind loads that kind's example, unless the user has typed their own.
  radio.addEventListener("change", () => {
    if (rewriteInput.value === SAMPLE_HTML || rewriteInput.value === SAMPLE_CSS) {
      rewriteInput.value = kinds.value === "css" ? SAMPLE_CSS : SAMPLE_HTML;
    }
  });
}
const setRewriteContext = mountRewrite({ input: rewriteInput, kinds, output: byId("rewrite-result", HTMLOutputElement) });

mountAddress({
  address: byId("address", HTMLInputElement),
  server: byId("server", HTMLInputElement),
  namespace: byId("namespace", HTMLInputElement),
  output: byId("address-result", HTMLOutputElement),
  onContext: setRewriteContext,
});
mountSegment({ input: byId("segment", HTMLInputElement), output: byId("segment-result", HTMLOutputElement) });
mountToken({
  input: byId("token", HTMLTextAreaElement),
  example: byId("token-example", HTMLButtonElement),
  output: byId("token-result", HTMLOutputElement),
});
mountKubeconfig({
  input: byId("kubeconfig", HTMLTextAreaElement),
  example: byId("kubeconfig-example", HTMLButtonElement),
  output: byId("kubeconfig-result", HTMLOutputElement),
});
// For the first-render measurement in tests/e2e/www.test.mjs.
performance.mark("kubeopen:rendered");
