// rewriteUrl, rewriteLocation, rewriteCss, rewriteHtml, HtmlRewriter and browserRules from Node,
// against the shared URL cases (tests/url-cases.json) that the Rust core is tested against too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  rewriteUrl,
  rewriteLocation,
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

test("errors: bad contexts and header injection are refused with codes", () => {
  const throwsCode = (fn, code) => assert.throws(fn, (e) => e instanceof KubeopenError && e.code === code);
  throwsCode(() => rewriteUrl("/x", { ...ctx, server: "ftp://x" }), "InvalidContext");
  throwsCode(() => rewriteUrl("/x", { ...ctx, clusterDomain: "Not A Domain" }), "InvalidContext");
  throwsCode(() => rewriteUrl("/x", null), "InvalidArgument");
  throwsCode(() => browserRules({ server: ctx.server, target: ctx.target, tabId: 1, token: "a\r\nX-Evil: 1", firstRuleId: 1 }), "InvalidRules");
  throwsCode(() => browserRules({ server: ctx.server, target: ctx.target, tabId: 1, firstRuleId: 0 }), "InvalidRules");
  throwsCode(() => new HtmlRewriter(ctx).write("not bytes"), "InvalidArgument");
});
