// @ts-check
// The popup: shows, live, how the background's wasm core parses what you type.
import { MessageType, ext } from "./messages.js";

const input = /** @type {HTMLInputElement} */ (document.getElementById("segment"));
const result = /** @type {HTMLOutputElement} */ (document.getElementById("result"));

/** @param {[string, string][]} rows */
function showRows(rows) {
  const dl = document.createElement("dl");
  for (const [k, v] of rows) {
    const dt = document.createElement("dt");
    dt.textContent = k;
    const dd = document.createElement("dd");
    dd.textContent = v;
    dd.dataset.field = k;
    dl.append(dt, dd);
  }
  result.replaceChildren(dl);
}

/** @param {string} code @param {string} message */
function showError(code, message) {
  const p = document.createElement("p");
  p.className = "error";
  p.dataset.code = code;
  p.textContent = `${code}: ${message}`;
  result.replaceChildren(p);
}

let latest = 0;
async function update() {
  const id = input.value.trim();
  const ticket = ++latest;
  if (!id) {
    result.replaceChildren();
    return;
  }
  try {
    /** @type {import("./messages.js").ParseSegmentResponse} */
    const answer = await ext.runtime.sendMessage({ type: MessageType.ParseSegment, id });
    if (ticket !== latest) return; // a newer keystroke won
    if (answer.ok) {
      const { scheme, name, port } = answer.segment;
      showRows([["scheme", scheme || "(none: http)"], ["name", name], ["port", port || "(none)"]]);
    } else {
      showError(answer.error.code, answer.error.message);
    }
  } catch (e) {
    showError("BackgroundUnavailable", String(e));
  }
}

input.addEventListener("input", update);
update();
