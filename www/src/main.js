// @ts-check
// The playground: the npm package used exactly as a dashboard would use it.
import { parseSegment, version } from "kubeopen";

const input = /** @type {HTMLInputElement} */ (document.getElementById("segment"));
const output = /** @type {HTMLOutputElement} */ (document.getElementById("segment-result"));
/** @type {HTMLElement} */ (document.getElementById("version")).textContent = version();

/** @param {[string, string][]} rows */
function rows(rows) {
  const dl = document.createElement("dl");
  for (const [k, v] of rows) {
    const dt = document.createElement("dt");
    dt.textContent = k;
    const dd = document.createElement("dd");
    dd.dataset.field = k;
    dd.textContent = v;
    dl.append(dt, dd);
  }
  return dl;
}

function update() {
  const id = input.value.trim();
  if (!id) return output.replaceChildren();
  try {
    const { scheme, name, port } = parseSegment(id);
    output.replaceChildren(rows([["scheme", scheme || "(none: http)"], ["name", name], ["port", port || "(none)"]]));
  } catch (e) {
    const err = /** @type {{ code?: string, message?: string }} */ (e);
    const p = document.createElement("p");
    p.className = "error";
    p.dataset.code = err.code ?? "";
    p.textContent = `${err.code}: ${err.message}`;
    output.replaceChildren(p);
  }
}

input.addEventListener("input", update);
update();
