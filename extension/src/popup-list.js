// @ts-check
// The popup's list: items grouped under headings, filtered as you type, one active option moved
// with the arrow keys while focus stays in the search box (WAI-ARIA combobox + listbox), opened
// with Enter or a click.
import { h } from "./ui/dom.js";

/**
 * @typedef {{ group: string, label: string, detail: string, search: string, dim?: boolean, data: unknown }} ListItem
 */

export class FilteredList {
  /**
   * @param {HTMLInputElement} input the search box (keeps focus)
   * @param {HTMLUListElement} listbox
   * @param {(item: ListItem) => void} onOpen
   */
  constructor(input, listbox, onOpen) {
    this.input = input;
    this.listbox = listbox;
    this.onOpen = onOpen;
    /** @type {ListItem[]} */
    this.items = [];
    /** @type {ListItem[]} */
    this.shown = [];
    this.active = -1;
    input.addEventListener("input", () => this.render());
    input.addEventListener("keydown", (e) => this.key(e));
  }

  /** @param {ListItem[]} items */
  setItems(items) {
    this.items = items;
    this.render();
  }

  /** How many items match the search. */
  get count() {
    return this.shown.length;
  }

  /** Every word typed must appear somewhere in the item (name, namespace, port, port name…). */
  matches() {
    const words = this.input.value.toLowerCase().split(/\s+/).filter(Boolean);
    return this.items.filter((item) => words.every((w) => item.search.includes(w)));
  }

  render() {
    this.shown = this.matches();
    const rows = [];
    let group = null;
    for (const [i, item] of this.shown.entries()) {
      if (item.group !== group) {
        group = item.group;
        rows.push(h("li", { role: "presentation", class: "group" }, group));
      }
      rows.push(
        h(
          "li",
          {
            role: "option",
            id: `option-${i}`,
            class: item.dim ? "option dim" : "option",
            "aria-selected": "false",
            dataset: { index: String(i) },
            onclick: () => this.onOpen(item),
            onmousemove: () => this.activate(i, false),
          },
          h("span", { class: "label" }, item.label),
          h("span", { class: "detail" }, item.detail),
        ),
      );
    }
    this.listbox.replaceChildren(...rows);
    this.active = -1;
    this.activate(this.shown.length ? 0 : -1, false);
  }

  /** @param {number} index @param {boolean} scroll */
  activate(index, scroll) {
    const old = this.listbox.querySelector(`#option-${this.active}`);
    old?.setAttribute("aria-selected", "false");
    this.active = index;
    const now = this.listbox.querySelector(`#option-${index}`);
    if (now) {
      now.setAttribute("aria-selected", "true");
      this.input.setAttribute("aria-activedescendant", now.id);
      if (scroll) now.scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  }

  /** @param {KeyboardEvent} e */
  key(e) {
    const last = this.shown.length - 1;
    const page = 8;
    /** @type {Record<string, () => number>} */
    const moves = {
      ArrowDown: () => Math.min(last, this.active + 1),
      ArrowUp: () => Math.max(0, this.active - 1),
      PageDown: () => Math.min(last, this.active + page),
      PageUp: () => Math.max(0, this.active - page),
    };
    if (e.key in moves && last >= 0) {
      e.preventDefault();
      this.activate(moves[e.key](), true);
    } else if (e.key === "Enter" && this.shown[this.active]) {
      e.preventDefault();
      this.onOpen(this.shown[this.active]);
    }
  }
}
