// rewriteUrl, rewriteLocation, rewriteSrcset, rewriteCss, rewriteHtml, HtmlRewriter and browserRules from Node,
// against the shared URL cases (tests/url-cases.json) that the Rust core is tested against too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  rewriteUrl,
  rewriteLocation,
  rewriteSrcset,
  rewriteCss,
  rewriteHtml,
  HtmlRewriter,
  browserRules,
  proxyPath,
  KubeopenError,
} from "kubeopen";

const { cases } = JSON.parse(readFileSync(new URL("../url-cases.json", import.meta.url), "utf8"));

test(`rewriteUrl agrees with the core on all ${cases.length} shared URL cases, idempotently`, () => {
  assert.ok(cases.length >= 50);
  for (const c of cases) {
    const ctx = { server: c.server, target: c.target, page: c.page ?? undefined, clusterDomain: c.clusterDomain };
    assert.equal(rewriteUrl(c.input, ctx), c.expected, c.name);
    assert.equal(rewriteUrl(c.expected, ctx), c.expected, `${c.name} (idempotent)`);
  }
});

const ctx = {
  server: "https://k8s.example:6443",
  target: { kind: "service", namespace: "monitoring", name: "grafana", port: 3000 },
};
const prefix = proxyPath(ctx.target);

test("rewriteLocation keeps redirects inside the prefix", () => {
  assert.equal(rewriteLocation("/login?next=%2F", ctx), `${prefix}login?next=%2F`);
  assert.equal(rewriteLocation("https://k8s.example:6443/home", ctx), `https://k8s.example:6443${prefix}home`);
  assert.equal(rewriteLocation("https://accounts.example/oauth", ctx), "https://accounts.example/oauth");
});

test("rewriteSrcset rewrites every candidate URL and keeps descriptors, commas and spacing", () => {
  const value = `/a.png 1x,\n  b.png 2x, /c.png (x, y) 3x,https://k8s.example:6443/d.png 480w, data:image/png;base64,AA== 4x, http://grafana.monitoring.svc:3000/e.png`;
  assert.equal(
    rewriteSrcset(value, ctx),
    `${prefix}a.png 1x,\n  b.png 2x, ${prefix}c.png (x, y) 3x,https://k8s.example:6443${prefix}d.png 480w, data:image/png;base64,AA== 4x, https://k8s.example:6443${prefix}e.png`,
  );
  // What rewriteHtml does to the same attribute, so the link fixer and the HTML rewriter agree.
  const escaped = value.replace(/&/g, "&amp;");
  assert.equal(rewriteHtml(`<img srcset="${escaped}">`, ctx), `<img srcset="${rewriteSrcset(value, ctx)}">`);
  // Nothing to change: the same string back; relative to a page, as rewriteUrl.
  assert.equal(rewriteSrcset("a.png 1x, b.png 2x", ctx), "a.png 1x, b.png 2x");
  assert.equal(rewriteSrcset("", ctx), "");
  // Non-ASCII URLs come out as rewriteUrl writes them.
  assert.equal(rewriteSrcset("/é.png 1x", ctx), `${rewriteUrl("/é.png", ctx)} 1x`);
  assert.throws(() => rewriteSrcset("/a.png", { ...ctx, server: "ftp://x" }), (e) => e instanceof KubeopenError && e.code === "InvalidContext");
  assert.throws(() => rewriteSrcset(/** @type {any} */ (5), ctx), (e) => e instanceof KubeopenError && e.code === "InvalidArgument");
});

test("rewriteCss rewrites url(), @import and image-set(), nothing else", () => {
  const css = `@import "/base.css"; a { background: url( '/bg.png' ) } b { content: "/not-a-url" } c { background-image: image-set("/x.png" 1x) }`;
  assert.equal(
    rewriteCss(css, ctx),
    `@import "${prefix}base.css"; a { background: url( '${prefix}bg.png' ) } b { content: "/not-a-url" } c { background-image: image-set("${prefix}x.png" 1x) }`,
  );
});

test("rewriteHtml and the streaming HtmlRewriter agree at every split point", () => {
  const html = `<!doctype html><link rel=stylesheet href="/static/app.css"><img srcset="/a.png 1x, /b.png 2x" src=/a.png><a href="rel">r</a><form action="/login" method=post></form><meta http-equiv="refresh" content="5; url=/home"><p style="background:url(/bg.svg)">é</p>`;
  const whole = rewriteHtml(html, ctx);
  assert.match(whole, new RegExp(`href="${prefix}static/app.css"`));
  assert.match(whole, new RegExp(`action="${prefix}login"`));
  assert.match(whole, /href="rel"/);
  const bytes = new TextEncoder().encode(html);
  const rewriter = new HtmlRewriter(ctx);
  try {
    for (let split = 0; split <= bytes.length; split++) {
      const parts = [rewriter.write(bytes.subarray(0, split)), rewriter.write(bytes.subarray(split)), rewriter.end()];
      const out = new TextDecoder().decode(Buffer.concat(parts));
      assert.equal(out, whole, `split at byte ${split}`);
    }
  } finally {
    rewriter.free();
  }
});

test("browserRules: three rules for the one tab, token only inside the prefix", () => {
  const rules = browserRules({ server: ctx.server, target: ctx.target, tabId: 42, token: "abc.def", firstRuleId: 10 });
  assert.deepEqual(rules.map((r) => r.id), [10, 11, 12]);
  for (const r of rules) assert.deepEqual(r.condition.tabIds, [42]);
  const withToken = rules.filter((r) => JSON.stringify(r).includes("abc.def"));
  assert.equal(withToken.length, 1);
  const re = new RegExp(withToken[0].condition.regexFilter);
  assert.ok(re.test(`https://k8s.example:6443${prefix}d/x`));
  assert.ok(!re.test("https://k8s.example:6443/api/v1/namespaces/kube-system/secrets"));
  assert.ok(!re.test(`https://evil.example${prefix}`));
});

test("browserRules: basic auth as authorizationHeader takes it; a token with basic auth is refused", () => {
  const rules = browserRules({ server: ctx.server, target: ctx.target, tabId: 7, username: "admin", password: "pä:ss", firstRuleId: 10 });
  assert.deepEqual(rules[0].action.requestHeaders, [
    { header: "Authorization", operation: "set", value: "Basic YWRtaW46cMOkOnNz" },
    { header: "Accept-Encoding", operation: "set", value: "gzip" },
  ]);
  // Only the first rule carries it.
  assert.equal(rules.filter((r) => JSON.stringify(r).includes("YWRtaW46")).length, 1);
  // A pasted token is trimmed, as authorizationHeader trims it.
  const trimmed = browserRules({ server: ctx.server, target: ctx.target, tabId: 7, token: " abc.def\n", firstRuleId: 10 });
  assert.equal(trimmed[0].action.requestHeaders?.[0].value, "Bearer abc.def");
  // No credentials (kubectl proxy): only Accept-Encoding.
  const none = browserRules({ server: ctx.server, target: ctx.target, tabId: 7, firstRuleId: 10 });
  assert.deepEqual(none[0].action.requestHeaders?.map((h) => h.header), ["Accept-Encoding"]);
  const refused = (/** @type {any} */ input) => {
    try {
      browserRules({ server: ctx.server, target: ctx.target, tabId: 7, firstRuleId: 10, ...input });
    } catch (e) {
      assert.ok(e instanceof KubeopenError);
      return [e.code, e.detail, e.message];
    }
    assert.fail(`not refused: ${JSON.stringify(input)}`);
  };
  assert.deepEqual(refused({ token: "abc", username: "admin", password: "pw" }), [
    "InvalidCredentials",
    undefined,
    "username/password or bearer token may be set, but not both",
  ]);
  const [code, detail, message] = refused({ username: "admin", password: "sec\r\nret" });
  assert.deepEqual([code, detail], ["InvalidCredentials", { part: "password", at: 3 }]);
  assert.doesNotMatch(message, /sec|ret/);
  assert.deepEqual(refused({ username: "ad:min", password: "pw" }).slice(0, 2), ["InvalidCredentials", { part: "username", at: 2 }]);
  assert.deepEqual(refused({ password: "pw" }).slice(0, 2), ["InvalidCredentials", { part: "username" }]);
  assert.deepEqual(refused({ token: "a b" }).slice(0, 2), ["InvalidCredentials", { part: "token", at: 1 }]);
});

test("errors: bad contexts and header injection are refused with codes", () => {
  const throwsCode = (fn, code) => assert.throws(fn, (e) => e instanceof KubeopenError && e.code === code);
  throwsCode(() => rewriteUrl("/x", { ...ctx, server: "ftp://x" }), "InvalidContext");
  throwsCode(() => rewriteUrl("/x", { ...ctx, clusterDomain: "Not A Domain" }), "InvalidContext");
  throwsCode(() => rewriteUrl("/x", null), "InvalidArgument");
  throwsCode(() => browserRules({ server: ctx.server, target: ctx.target, tabId: 1, token: "a\r\nX-Evil: 1", firstRuleId: 1 }), "InvalidCredentials");
  throwsCode(() => browserRules({ server: "ftp://x", target: ctx.target, tabId: 1, firstRuleId: 1 }), "InvalidRules");
  throwsCode(() => browserRules({ server: ctx.server, target: ctx.target, tabId: 1, firstRuleId: 0 }), "InvalidRules");
  throwsCode(() => new HtmlRewriter(ctx).write("not bytes"), "InvalidArgument");
});
