// proxyPath, proxyUrl, parseProxyUrl, resolveAddress from Node: the JS contract's shapes, the
// spec's URL forms (client-go ProxyGet, kubectl cluster-info), no escape from /proxy/, errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { proxyPath, proxyUrl, parseProxyUrl, resolveAddress, KubeopenError } from "kubeopen";

const grafana = { kind: "service", namespace: "monitoring", name: "grafana", port: 3000 };

test("proxyPath for services, pods and nodes (JoinSchemeNamePort segments)", () => {
  assert.equal(proxyPath(grafana), "/api/v1/namespaces/monitoring/services/grafana:3000/proxy/");
  assert.equal(
    proxyPath({ kind: "service", namespace: "kube-system", name: "kubernetes-dashboard", scheme: "https" }),
    "/api/v1/namespaces/kube-system/services/https:kubernetes-dashboard:/proxy/",
  );
  assert.equal(proxyPath({ kind: "pod", namespace: "ns", name: "web-0", port: "8080" }), "/api/v1/namespaces/ns/pods/web-0:8080/proxy/");
  assert.equal(proxyPath({ kind: "node", name: "node-1", scheme: "https", port: 10250 }), "/api/v1/nodes/https:node-1:10250/proxy/");
});

// spec §6, client-go ProxyGet examples (the path forms; client-go itself drops the trailing slash).
test("proxyUrl matches client-go's ProxyGet URL forms", () => {
  assert.equal(
    proxyUrl("https://10.0.0.1:6443", { kind: "service", namespace: "ns", name: "web", scheme: "https", port: "8443" }, "/metrics"),
    "https://10.0.0.1:6443/api/v1/namespaces/ns/services/https:web:8443/proxy/metrics",
  );
  assert.equal(
    proxyUrl("https://10.0.0.1:6443", { kind: "service", namespace: "ns", name: "web" }, "x/", { a: "1", b: "2" }),
    "https://10.0.0.1:6443/api/v1/namespaces/ns/services/web/proxy/x/?a=1&b=2",
  );
});

test("proxyUrl on every kind of server base", () => {
  const cases = [
    ["http://localhost:8001", "http://localhost:8001/api/v1/namespaces/monitoring/services/grafana:3000/proxy/"],
    ["http://localhost:8001/k8s/", "http://localhost:8001/k8s/api/v1/namespaces/monitoring/services/grafana:3000/proxy/"],
    ["https://rancher.example/k8s/clusters/c-abc", "https://rancher.example/k8s/clusters/c-abc/api/v1/namespaces/monitoring/services/grafana:3000/proxy/"],
    ["https://[::1]:6443", "https://[::1]:6443/api/v1/namespaces/monitoring/services/grafana:3000/proxy/"],
    ["https://10.0.0.1", "https://10.0.0.1/api/v1/namespaces/monitoring/services/grafana:3000/proxy/"],
  ];
  for (const [server, want] of cases) assert.equal(proxyUrl(server, grafana), want, server);
});

test("queries: raw strings, and ordered key/values with repeats", () => {
  const base = "http://localhost:8001/api/v1/namespaces/monitoring/services/grafana:3000/proxy/d/x";
  assert.equal(proxyUrl("http://localhost:8001", grafana, "d/x", "orgId=1&from=now-1h"), `${base}?orgId=1&from=now-1h`);
  assert.equal(proxyUrl("http://localhost:8001", grafana, "d/x", { var: ["a b", "c&d"], orgId: 1 }), `${base}?var=a+b&var=c%26d&orgId=1`);
  assert.equal(proxyUrl("http://localhost:8001", grafana, "d/x?orgId=1#panel-2", { x: "y" }), `${base}?orgId=1&x=y#panel-2`);
});

test("no path escapes the target's /proxy/ prefix, as a browser reads the result", () => {
  const prefix = "/api/v1/namespaces/monitoring/services/grafana:3000/proxy/";
  const hostile = ["..", "../..", "%2e%2e", "%2E%2e/", "..%2f..%2fsecrets", "..\\..\\x", "//evil.example/x", "/../../api/v1/secrets", "a/../../b", "?../..", "#../..", ".%2E/.%2e/x"];
  for (const path of hostile) {
    const url = new URL(proxyUrl("https://k8s.example", grafana, path));
    assert.equal(url.origin, "https://k8s.example", path);
    assert.ok(url.pathname.startsWith(prefix), `${path} -> ${url.pathname}`);
    // The API server decodes %2F into a separator (spec §4.1): no encoded separator may remain.
    assert.ok(!/%2f|%5c/i.test(url.pathname), `${path} -> ${url.pathname}`);
  }
});

test("parseProxyUrl takes any proxy URL apart, and inverts proxyUrl", () => {
  assert.deepEqual(parseProxyUrl("https://rancher.example/k8s/clusters/c-abc/api/v1/namespaces/kube-system/services/https%3Akubernetes-dashboard%3A/proxy/#/login"), {
    server: "https://rancher.example/k8s/clusters/c-abc",
    target: { kind: "service", namespace: "kube-system", name: "kubernetes-dashboard", scheme: "https", port: "" },
    path: "/",
    query: null,
    fragment: "/login",
  });
  assert.deepEqual(parseProxyUrl("http://localhost:8001/api/v1/nodes/n1:9100/proxy?x=1"), {
    server: "http://localhost:8001",
    target: { kind: "node", name: "n1", scheme: "", port: "9100" },
    path: "",
    query: "x=1",
    fragment: null,
  });
  for (const target of [grafana, { kind: "pod", namespace: "a", name: "b.c", scheme: "http", port: "80" }, { kind: "node", name: "n" }]) {
    const parsed = parseProxyUrl(proxyUrl("https://[::1]:6443/base", target, "p/q"));
    assert.ok(parsed);
    assert.equal(parsed.server, "https://[::1]:6443/base");
    assert.equal(proxyPath(parsed.target), proxyPath(target));
    assert.equal(parsed.path, "/p/q");
  }
  for (const notProxy of ["https://example.com/", "https://k/api/v1/namespaces/default/services", "not a url", "", "https://k/api/v1/namespaces/default/services/web/status"]) {
    assert.equal(parseProxyUrl(notProxy), null, notProxy);
  }
});

test("resolveAddress understands what people type", () => {
  const cases = [
    ["svc/monitoring/grafana:3000/d/x", { kind: "service", namespace: "monitoring", name: "grafana", scheme: "", port: "3000" }, "/d/x"],
    ["grafana.monitoring:3000", { kind: "service", namespace: "monitoring", name: "grafana", scheme: "", port: "3000" }, ""],
    ["grafana.monitoring.svc:3000/", { kind: "service", namespace: "monitoring", name: "grafana", scheme: "", port: "3000" }, "/"],
    ["https://grafana.monitoring.svc.cluster.local:3000/x", { kind: "service", namespace: "monitoring", name: "grafana", scheme: "https", port: "3000" }, "/x"],
    ["https:kubernetes-dashboard: -n kubernetes-dashboard", { kind: "service", namespace: "kubernetes-dashboard", name: "kubernetes-dashboard", scheme: "https", port: "" }, ""],
    ["grafana -n monitoring", { kind: "service", namespace: "monitoring", name: "grafana", scheme: "", port: "" }, ""],
    ["pod/ns/web-0:8080/metrics", { kind: "pod", namespace: "ns", name: "web-0", scheme: "", port: "8080" }, "/metrics"],
    ["node/n1/metrics", { kind: "node", name: "n1", scheme: "", port: "" }, "/metrics"],
    // A URL with a scheme and no port means the scheme's default port (browsers drop `:80`);
    // without a scheme, no port stays "" (the service's unnamed port).
    ["http://web.demo.svc/", { kind: "service", namespace: "demo", name: "web", scheme: "http", port: "80" }, "/"],
    ["https://argocd-server.argocd.svc.cluster.local", { kind: "service", namespace: "argocd", name: "argocd-server", scheme: "https", port: "443" }, ""],
    // Not ASCII: answered through the text export rather than spans; same port.
    ["http://web.demo.svc/é", { kind: "service", namespace: "demo", name: "web", scheme: "http", port: "80" }, "/é"],
    ["http://web.démo.svc/", null, null],
    ["web.demo.svc/", { kind: "service", namespace: "demo", name: "web", scheme: "", port: "" }, "/"],
  ];
  for (const [input, target, path] of cases) {
    if (target === null) {
      assert.throws(() => resolveAddress(input), (e) => e instanceof KubeopenError && e.code === "InvalidAddress", input);
      continue;
    }
    const got = resolveAddress(input);
    assert.deepEqual(got.target, target, input);
    assert.equal(got.path, path, input);
  }
  const custom = resolveAddress("grafana.monitoring.svc.corp.example:3000", { clusterDomain: "corp.example" });
  assert.equal(custom.target.name, "grafana");
  assert.equal(resolveAddress("web", { namespace: "team-a" }).target.namespace, "team-a");
  const fromUrl = resolveAddress("http://localhost:8001/api/v1/namespaces/monitoring/services/grafana:3000/proxy/d/x?a=1");
  assert.equal(fromUrl.server, "http://localhost:8001");
  assert.equal(fromUrl.query, "a=1");
});

test("errors: stable codes, messages that say what was expected", () => {
  const throwsCode = (fn, code, pattern) => {
    assert.throws(fn, (e) => e instanceof KubeopenError && e.code === code && (!pattern || pattern.test(e.message)));
  };
  throwsCode(() => proxyPath({ kind: "service", namespace: "monitoring", name: "Grafana" }), "InvalidTarget", /uppercase/);
  throwsCode(() => proxyPath({ kind: "service", namespace: "monitoring", name: "grafana", port: 70000 }), "InvalidTarget", /port/);
  throwsCode(() => proxyPath({ kind: "node", namespace: "x", name: "n1" }), "InvalidTarget", /no namespace/);
  throwsCode(() => proxyPath({ kind: "service", name: "web" }), "InvalidTarget");
  throwsCode(() => proxyPath({ kind: "deployment", namespace: "a", name: "b" }), "InvalidArgument", /kind/);
  throwsCode(() => proxyPath(null), "InvalidArgument");
  throwsCode(() => proxyPath({ kind: "service", namespace: "a", name: 5 }), "InvalidArgument", /target.name/);
  throwsCode(() => proxyPath({ kind: "service", namespace: "a\0b", name: "x" }), "InvalidArgument", /NUL/);
  throwsCode(() => proxyUrl("ftp://x", grafana), "InvalidServer", /http/);
  throwsCode(() => proxyUrl("https://k/?q=1", grafana), "InvalidServer");
  throwsCode(() => resolveAddress("svc/monitoring"), "InvalidAddress", /expected svc\/NS\/NAME/);
  throwsCode(() => resolveAddress(""), "InvalidAddress");
});
