// The Firefox translation of the core's session rules (extension/src/bg/firefox-rules.js) on the
// real `browserRules` output: Chromium gets the core's rules untouched; Firefox gets the same
// rules, each also naming Firefox's subtypes of the types it lists, and nothing else changes (tab,
// URL pattern, action). The end-to-end proof is tests/firefox/demo-app.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { browserRules } from "kubeopen";
import { forThisBrowser } from "../../extension/src/bg/firefox-rules.js";

const rules = browserRules({
  server: "https://10.0.0.1:6443",
  target: { kind: "service", namespace: "demo", name: "web", port: "http" },
  tabId: 7,
  token: "t0ken-for-rules",
  firstRuleId: 1000,
});

test("Chromium: the core's rules, unchanged (its schema has no Firefox types)", () => {
  assert.equal(forThisBrowser(rules, false), rules);
});

test("Firefox: each rule also names imageset, beacon and Firefox's kinds of `other`", () => {
  const firefox = forThisBrowser(rules, true);
  assert.equal(firefox.length, rules.length);
  firefox.forEach((rule, i) => {
    const core = rules[i];
    const types = rule.condition.resourceTypes ?? [];
    assert.deepEqual(types.slice(0, core.condition.resourceTypes?.length), core.condition.resourceTypes, "the core's types first, as they were");
    for (const t of ["imageset", "beacon", "web_manifest", "json", "xslt", "xml_dtd"]) assert.ok(types.includes(t), `rule ${rule.id} has ${t}`);
    assert.equal(new Set(types).size, types.length, "no type twice");
    assert.ok(!types.includes("speculative") && !types.includes("object_subrequest"));
    // Nothing else moves: the same tab, pattern, priority and action.
    const { resourceTypes: _a, ...condition } = rule.condition;
    const { resourceTypes: _b, ...coreCondition } = core.condition;
    assert.deepEqual(condition, coreCondition);
    assert.deepEqual({ ...rule, condition: null }, { ...core, condition: null });
  });
});

test("Firefox: a subtype is added only where its Chrome type is listed, and only once", () => {
  const narrow = [{ id: 1, condition: { resourceTypes: ["script", "imageset", "image"] } }, { id: 2, condition: {} }];
  const [first, second] = forThisBrowser(narrow, true);
  assert.deepEqual(first.condition.resourceTypes, ["script", "imageset", "image"]);
  assert.equal(second, narrow[1], "a rule without a type list is left as it is");
  const ping = forThisBrowser([{ id: 3, condition: { resourceTypes: ["ping"] } }], true);
  assert.deepEqual(ping[0].condition.resourceTypes, ["ping", "beacon"]);
});
