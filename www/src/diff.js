// @ts-check
// Which parts of a rewritten text are new, for highlighting: a Myers diff over small tokens
// (words, quotes and punctuation apart), so a rewritten URL lights up whole and the rest stays
// plain. Display only: what changes is decided by the core's rewriter, never here.

/** Tokens: runs of characters that are not separators, and single separators. */
const TOKEN = /[^\s"'<>=(),;]+|[\s"'<>=(),;]/g;

/** Above this many edits the diff gives up on precision and marks the differing middle. */
const MAX_EDITS = 400;

/**
 * @typedef {{ text: string, changed: boolean }} Piece
 */

/**
 * `after` cut into pieces, each marked `changed` when it is not part of `before`.
 * @param {string} before
 * @param {string} after
 * @returns {Piece[]}
 */
export function changes(before, after) {
  const a = before.match(TOKEN) ?? [];
  const b = after.match(TOKEN) ?? [];
  // Common head and tail first: rewriting leaves most of a page alone, and it keeps the diff small.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const inserted = insertedTokens(midA, midB) ?? midB.map(() => true);
  const marks = [...b.slice(0, head).map(() => false), ...inserted, ...b.slice(b.length - tail).map(() => false)];
  return merge(b, marks);
}

/**
 * For each token of `b`: true when it is not in a longest common subsequence of `a` and `b`
 * (Myers' O(ND) algorithm). `null` when more than MAX_EDITS edits are needed.
 * @param {string[]} a
 * @param {string[]} b
 * @returns {boolean[] | null}
 */
function insertedTokens(a, b) {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  // v[k + offset]: the furthest x reached on diagonal k = x - y.
  let v = new Int32Array(2 * offset + 1);
  /** @type {Int32Array[]} */
  const trace = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[k - 1 + offset] < v[k + 1 + offset]);
      let x = down ? v[k + 1 + offset] : v[k - 1 + offset] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[k + offset] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m, offset);
    }
    v = next;
  }
  return null;
}

/**
 * Walks the trace back from the end and marks the tokens of `b` reached by a step down.
 * @param {Int32Array[]} trace  `trace[d]`: the furthest points after d-1 edits
 * @param {number} n
 * @param {number} m
 * @param {number} offset
 */
function backtrack(trace, n, m, offset) {
  const inserted = new Array(m).fill(false);
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const v = trace[d];
    const k = x - y;
    const down = k === -d || (k !== d && v[k - 1 + offset] < v[k + 1 + offset]);
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[prevK + offset];
    const prevY = prevX - prevK;
    if (down) inserted[prevY] = true;
    x = prevX;
    y = prevY;
  }
  return inserted;
}

/**
 * Joins neighbouring tokens with the same mark.
 * @param {string[]} tokens
 * @param {boolean[]} marks
 * @returns {Piece[]}
 */
function merge(tokens, marks) {
  /** @type {Piece[]} */
  const pieces = [];
  tokens.forEach((text, i) => {
    const last = pieces[pieces.length - 1];
    if (last && last.changed === marks[i]) last.text += text;
    else pieces.push({ text, changed: marks[i] });
  });
  return pieces;
}
