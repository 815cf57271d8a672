// The npm package under Node: the segment API against the upstream table (spec §1.1), and errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseSegment, formatSegment, KubeopenError } from "kubeopen";

// apimachinery pkg/util/net/port_split_test.go TestSplitSchemeNamePort:
// [in, scheme, name, port, valid, normalized]
const UPSTREAM = [
  ["aoeu:asdf", "", "aoeu", "asdf", true, true],
  ["http:aoeu:asdf", "http", "aoeu", "asdf", true, true],
  ["https:aoeu:", "https", "aoeu", "", true, false],
  ["https:aoeu:asdf", "https", "aoeu", "asdf", true, true],
  ["aoeu:", "", "aoeu", "", true, false],
  ["aoeu", "", "aoeu", "", true, true],
  [":asdf", "", "", "", false, false],
  ["aoeu:asdf:htns", "", "", "", false, false],
  ["http::asdf", "", "", "", false, false],
  ["http::", "", "", "", false, false],
  ["", "", "", "", false, false],
];

for (const [input, scheme, name, port, valid, normalized] of UPSTREAM) {
  test(`parseSegment(${JSON.stringify(input)}) follows SplitSchemeNamePort`, () => {
    if (!valid) {
      assert.throws(() => parseSegment(input), { name: "KubeopenError", code: "InvalidSegment" });
      return;
    }
    const seg = parseSegment(input);
    assert.deepEqual({ ...seg }, { scheme, name, port });
    const joined = formatSegment(seg);
    assert.deepEqual({ ...parseSegment(joined) }, { scheme, name, port });
    if (normalized) assert.equal(joined, input);
  });
}

test("the https:name quirk: two parts are name:port", () => {
  assert.deepEqual({ ...parseSegment("https:web") }, { scheme: "", name: "https", port: "web" });
});

test("errors are KubeopenError instances (an Error) with code, message and detail", () => {
  try {
    parseSegment("ftp:web:21");
    assert.fail("should throw");
  } catch (e) {
    assert.ok(e instanceof KubeopenError);
    assert.ok(e instanceof Error);
    assert.equal(e.name, "KubeopenError");
    assert.equal(e.code, "InvalidSegment");
    assert.match(e.message, /"ftp"/);
    assert.equal(e.detail.rule, "unknown-scheme");
    assert.equal(e.detail.input, "ftp:web:21");
  }
});

test("formatSegment joins like JoinSchemeNamePort and accepts numeric ports", () => {
  assert.equal(formatSegment({ scheme: "https", name: "web", port: "" }), "https:web:");
  assert.equal(formatSegment({ name: "web", port: 8080 }), "web:8080");
  assert.equal(formatSegment({ name: "web" }), "web");
});

test("formatSegment refuses parts that would not split back", () => {
  assert.throws(() => formatSegment({ name: "" }), { code: "InvalidSegment" });
  assert.throws(() => formatSegment({ name: "a:b" }), { code: "InvalidSegment" });
  assert.throws(() => formatSegment({ name: "web", port: "1:2" }), { code: "InvalidSegment" });
  assert.throws(() => formatSegment({ scheme: "HTTP", name: "web" }), { code: "InvalidSegment" });
  assert.throws(() => formatSegment({ name: "web", port: 1.5 }), { code: "InvalidArgument" });
  assert.throws(() => formatSegment(null), { code: "InvalidArgument" });
  assert.throws(() => formatSegment({ name: 42 }), { code: "InvalidArgument" });
});
