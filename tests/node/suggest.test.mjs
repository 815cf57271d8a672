// `suggestEndpoints` from Node (kubeopen/cluster): over the endpoints `openableEndpoints` makes of
// a service list, what someone types in an address bar gives the right services first, each with
// the typed path in its URL; bad arguments are KubeopenErrors. The ranking rules themselves are
// tested in the core (crates/kubeopen/src/suggest/tests.rs); this proves the JS contract.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openableEndpoints, suggestEndpoints, KubeopenError } from "kubeopen/cluster";

const SERVER = "https://10.0.0.1:6443";
const list = {
  items: [
    { metadata: { name: "grafana", namespace: "monitoring" }, spec: { ports: [{ name: "service", port: 3000 }] } },
    { metadata: { name: "prometheus", namespace: "monitoring" }, spec: { ports: [{ name: "web", port: 9090 }] } },
    { metadata: { name: "web", namespace: "demo" }, spec: { ports: [{ name: "http", port: 80 }, { name: "https", port: 8443 }] } },
    { metadata: { name: "web-multi", namespace: "demo" }, spec: { ports: [{ name: "http", port: 80 }] } },
    { metadata: { name: "web", namespace: "default" }, spec: { ports: [{ name: "http", port: 80 }] } },
  ],
};
const endpoints = openableEndpoints(list, SERVER);
const proxy = (/** @type {string} */ ns, /** @type {string} */ seg, rest = "") =>
  `${SERVER}/api/v1/namespaces/${ns}/services/${seg}/proxy/${rest}`;

test("the issue's examples: the typed path is in the URL", () => {
  const [best, ...rest] = suggestEndpoints("grafana.monitoring:3000/d/abc", endpoints);
  assert.equal(rest.length, 0);
  assert.equal(best.url, proxy("monitoring", "grafana:3000", "d/abc"));
  assert.equal(best.description, "grafana.monitoring port 3000 (service) — /d/abc");
  assert.equal(endpoints[best.index].name, "grafana");
  assert.deepEqual(
    suggestEndpoints("svc/monitoring/grafana/some/path?x=1#y", endpoints).map((s) => s.url),
    [proxy("monitoring", "grafana:3000", "some/path?x=1#y")],
  );
});

test("partial words while typing, best first; the default namespace orders equal names", () => {
  assert.deepEqual(suggestEndpoints("graf", endpoints).map((s) => endpoints[s.index].name), ["grafana"]);
  assert.deepEqual(suggestEndpoints("monit prom", endpoints).map((s) => endpoints[s.index].name), ["prometheus"]);
  const web = suggestEndpoints("web", endpoints, { namespace: "demo" }).map((s) => {
    const e = endpoints[s.index];
    return `${e.namespace}/${e.name}:${e.port}`;
  });
  // …and last prometheus, whose port is named "web".
  assert.deepEqual(web, ["demo/web:80", "demo/web:8443", "default/web:80", "demo/web-multi:80", "monitoring/prometheus:9090"]);
  assert.equal(suggestEndpoints("web", endpoints)[0].url, proxy("default", "web:80"));
  assert.deepEqual(suggestEndpoints("web:https", endpoints, { namespace: "demo" }).map((s) => s.url), [proxy("demo", "https:web:8443")]);
  const scores = suggestEndpoints("web", endpoints).map((s) => s.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
});

test("options: limit, cluster domain, Chrome's omnibox markup", () => {
  assert.equal(suggestEndpoints("web", endpoints, { limit: 2 }).length, 2);
  assert.equal(suggestEndpoints("", endpoints, { limit: 1000 }).length, endpoints.length);
  assert.deepEqual(suggestEndpoints("grafana.monitoring.svc.example.org", endpoints), []);
  assert.equal(suggestEndpoints("grafana.monitoring.svc.example.org", endpoints, { clusterDomain: "example.org" }).length, 1);
  const [s] = suggestEndpoints("graf/a?b=1&c=<d>", endpoints, { markup: "omnibox" });
  assert.equal(s.description, "<match>graf</match>ana.monitoring port 3000 (service) — <url>/a?b=1&amp;c=&lt;d&gt;</url>");
});

test("nothing for unknown names, pods, nodes and oversized input", () => {
  assert.deepEqual(suggestEndpoints("nosuch", endpoints), []);
  assert.deepEqual(suggestEndpoints("pod/demo/web-0", endpoints), []);
  assert.deepEqual(suggestEndpoints("node/n1", endpoints), []);
  assert.deepEqual(suggestEndpoints(`web/${"x".repeat(2000)}`, endpoints), []);
  assert.deepEqual(suggestEndpoints("web", []), []);
});

test("endpoints need only namespace, name, port, portName, scheme and url (the extension's view)", () => {
  const view = endpoints.map(({ namespace, name, port, portName, scheme, url }) => ({ namespace, name, port, portName: portName ?? null, scheme, url }));
  assert.deepEqual(suggestEndpoints("web", view), suggestEndpoints("web", endpoints));
});

test("arguments of the wrong type are InvalidArgument errors", () => {
  const code = (/** @type {() => unknown} */ f) =>
    assert.throws(f, (e) => e instanceof KubeopenError && e.code === "InvalidArgument");
  code(() => suggestEndpoints(/** @type {any} */ (42), endpoints));
  code(() => suggestEndpoints("web", /** @type {any} */ ({})));
  code(() => suggestEndpoints("web", /** @type {any} */ ([{ name: "web", port: "80" }])));
  code(() => suggestEndpoints("web", /** @type {any} */ ([{ name: "web", port: 70000 }])));
  code(() => suggestEndpoints("web", endpoints, /** @type {any} */ ({ markup: "html" })));
  code(() => suggestEndpoints("web", endpoints, /** @type {any} */ ({ limit: -1 })));
});
