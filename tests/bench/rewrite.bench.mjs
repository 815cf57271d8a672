// Issue 6 budgets from JavaScript: rewriteUrl ≤ 3× one `new URL()` (same run), and the HTML
// rewriter as wasm under Node ≥ 60 MB/s on a ~1 MB realistic page, with `Buffer.from` copying the
// same bytes as the same-run baseline for scale.
// Usage: node tests/bench/rewrite.bench.mjs [--json FILE]
import { readFileSync, writeFileSync } from "node:fs";
import { rewriteUrl, HtmlRewriter } from "kubeopen";
import { compare, median, printTable } from "./harness.mjs";

const server = "https://10.0.0.1:6443";
const target = { kind: "service", namespace: "monitoring", name: "grafana", port: "3000" };
const ctx = { server, target, page: `${server}/api/v1/namespaces/monitoring/services/grafana:3000/proxy/d/abc` };
const input = "/public/build/app.7f3a.js";
const expected = "/api/v1/namespaces/monitoring/services/grafana:3000/proxy/public/build/app.7f3a.js";
if (rewriteUrl(input, ctx) !== expected) throw new Error("rewriteUrl does not give the expected URL");

const urlResults = compare({ name: "new URL(expected, page)", fn: () => new URL(expected, ctx.page) }, [
  { name: "rewriteUrl (root-relative)", fn: () => rewriteUrl(input, ctx), budget: 3 },
  { name: "rewriteUrl (other origin, unchanged)", fn: () => rewriteUrl("https://cdn.example/x.js", ctx), budget: 3 },
]);
printTable("new URL(expected, page)", urlResults);

// ~1 MB: the corpus page repeated.
const page = readFileSync(new URL("../fixtures/pages/dashboard.html", import.meta.url));
const copies = Math.ceil(1_000_000 / page.length);
const doc = Buffer.concat(Array.from({ length: copies }, () => page));
const rewriter = new HtmlRewriter(ctx);
/** @type {number[]} */ const mbps = [];
for (let round = 0; round < 15; round++) {
  const start = process.hrtime.bigint();
  for (let at = 0; at < doc.length; at += 64 * 1024) rewriter.write(doc.subarray(at, at + 64 * 1024));
  rewriter.end();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  mbps.push(doc.length / 1e6 / seconds);
}
rewriter.free();
const html = { name: "HtmlRewriter (wasm, Node, 64 KiB chunks)", bytes: doc.length, mbPerSecond: median(mbps), min: Math.min(...mbps), max: Math.max(...mbps), budget: 60 };
console.log(
  `${html.name}: ${html.mbPerSecond.toFixed(0)} MB/s median (${html.min.toFixed(0)}–${html.max.toFixed(0)}) on ${(doc.length / 1e6).toFixed(2)} MB; budget ≥${html.budget} MB/s ${html.mbPerSecond >= html.budget ? "PASS" : "FAIL"}`,
);

const json = process.argv.indexOf("--json");
if (json > 0) writeFileSync(process.argv[json + 1], JSON.stringify({ bench: "rewrite-js", urlResults, html }, null, 2));
