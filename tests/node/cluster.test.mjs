// `kubeopen/cluster` from Node: every exported function against the core's kubeconfig fixtures
// (crates/kubeopen/tests/fixtures/kubeconfig), tokens, secrets and in-cluster inputs; and the
// `Cluster` client against the sandbox (plain HTTP, and TLS in a child process that trusts the
// sandbox's CA through NODE_EXTRA_CA_CERTS — Node reads extra CAs only at start-up), with every
// error code it can throw.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import { execFile } from "node:child_process";
import path from "node:path";
import {
  parseKubeconfig,
  minifyKubeconfig,
  resolveContext,
  authorizationHeader,
  decodeSecretToken,
  inspectToken,
  inClusterConfig,
  clusterInfo,
  openableEndpoints,
  responseError,
  Cluster,
  KubeopenError,
} from "kubeopen/cluster";
import { KubeopenError as MainError, proxyUrl } from "kubeopen";
import { startSandbox, root } from "../support/sandbox.mjs";
import { rejected, thrown } from "../support/kubeopen-errors.mjs";

const fixtureDir = path.join(root, "crates", "kubeopen", "tests", "fixtures", "kubeconfig");
const fixture = (name) => readFileSync(path.join(fixtureDir, name), "utf8");
const ALL = fixture("all-auth-kinds.yaml");
const CA_PEM = "-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAKHHIG\n-----END CERTIFICATE-----\n";

// ------------------------------------------------------------------------------------------
// kubeconfig

test("both wasm modules stay within their 150 KB gzip budget (BENCHMARKS.md)", () => {
  const dist = path.join(root, "crates", "kubeopen-wasm", "npm", "dist");
  for (const file of ["kubeopen_bg.wasm", "kubeopen_cluster_bg.wasm"]) {
    const gz = gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
    assert.ok(gz <= 150 * 1024, `${file}: ${gz} B gzipped`);
  }
});

test("one KubeopenError class for every entry", () => {
  assert.equal(KubeopenError, MainError);
  const e = thrown(() => parseKubeconfig("a: ["));
  assert.ok(e instanceof MainError && e instanceof Error);
  assert.equal(e.name, "KubeopenError");
});

test("parseKubeconfig reads every field, camelCase, in file order", () => {
  const k = parseKubeconfig(ALL);
  assert.equal(k.apiVersion, "v1");
  assert.equal(k.kind, "Config");
  assert.equal(k.currentContext, "token");
  assert.deepEqual(k.preferences, { colors: true, extensions: [{ name: "pref-ext", extension: { theme: "dark" } }] });
  assert.deepEqual(k.extensions, [{ name: "top-level", extension: { a: 1 } }]);
  assert.deepEqual(
    k.clusters.map((c) => c.name),
    ["prod", "rancher", "ca-file", "local-proxy", "no-scheme"],
  );
  assert.deepEqual(k.clusters[0].cluster, {
    server: "https://10.0.0.1:6443",
    certificateAuthorityData:
      "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJrVENCK3dJSkFLSEhJRwotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==",
    tlsServerName: "api.prod.internal",
    proxyUrl: "socks5://localhost:1080",
    disableCompression: true,
    insecureSkipTlsVerify: false,
    extensions: [{ name: "client.authentication.k8s.io/exec", extension: { audience: "prod", retries: 3 } }],
  });
  assert.equal(k.clusters[1].cluster.insecureSkipTlsVerify, true);
  assert.equal(k.clusters[2].cluster.certificateAuthority, "/home/me/.minikube/ca.crt");
  const user = (name) => k.users.find((u) => u.name === name)?.user;
  assert.equal(user("token")?.token, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
  assert.equal(user("token-file")?.tokenFile, "/var/run/secrets/kubernetes.io/serviceaccount/token");
  assert.deepEqual([user("basic")?.username, user("basic")?.password], ["admin", "s3cr3t: with colon"]);
  assert.ok(user("client-cert")?.clientCertificateData?.startsWith("LS0t"));
  assert.ok(user("client-cert")?.clientKeyData?.startsWith("LS0t"));
  assert.equal(user("client-cert-files")?.clientKey, "/home/me/.minikube/profiles/minikube/client.key");
  assert.deepEqual(user("exec")?.exec, {
    command: "aws",
    args: ["eks", "get-token", "--cluster-name", "prod"],
    env: [{ name: "AWS_PROFILE", value: "prod" }],
    apiVersion: "client.authentication.k8s.io/v1beta1",
    installHint: "install the AWS CLI",
    provideClusterInfo: true,
    interactiveMode: "IfAvailable",
  });
  assert.equal(user("oidc")?.authProvider?.name, "oidc");
  assert.equal(user("oidc")?.authProvider?.config["refresh-token"], "refresh-me");
  const imp = user("impersonate");
  assert.deepEqual(
    [imp?.impersonate, imp?.impersonateUid, imp?.impersonateGroups, imp?.impersonateUserExtra],
    ["jane", "1234", ["developers", "system:authenticated"], { reason: ["debugging"] }],
  );
  assert.deepEqual(user("nothing"), { impersonateGroups: [], impersonateUserExtra: {}, extensions: [] });
  assert.deepEqual(k.contexts[0], { name: "token", context: { cluster: "prod", user: "token", namespace: "monitoring", extensions: [] } });
  assert.deepEqual(k.contexts.at(-1)?.context.extensions, [{ name: "ctx-ext", extension: [1, "two", null] }]);
});

test("resolveContext: every auth kind, with what a browser cannot use and why", () => {
  const k = parseKubeconfig(ALL);
  const prodTls = ['cluster "prod": proxy-url "socks5://localhost:1080"', 'cluster "prod": certificate-authority-data', 'cluster "prod": tls-server-name'];
  // context → [credentials, unsupported fields]
  const table = {
    token: [{ token: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln" }, prodTls],
    "token-and-file": [{ token: "inline-token" }, ['cluster "rancher": insecure-skip-tls-verify', 'user "token-and-file": tokenFile']],
    "token-file": [null, ['cluster "ca-file": certificate-authority', 'user "token-file": tokenFile']],
    basic: [{ username: "admin", password: "s3cr3t: with colon" }, prodTls],
    "client-cert": [null, [...prodTls, 'user "client-cert": client-certificate-data']],
    "client-cert-files": [null, [...prodTls, 'user "client-cert-files": client-certificate']],
    exec: [null, [...prodTls, 'user "exec": exec']],
    oidc: [{ token: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtZSJ9.c2ln" }, [...prodTls, 'user "oidc": auth-provider oidc refresh']],
    "oidc-no-id-token": [null, [...prodTls, 'user "oidc-no-id-token": auth-provider oidc']],
    gcp: [null, [...prodTls, 'user "gcp": auth-provider gcp']],
    azure: [null, [...prodTls, 'user "azure": auth-provider azure']],
    impersonate: [{ token: "admin-token" }, [...prodTls, 'user "impersonate": as']],
    "kubectl-proxy": [null, ['user "token"']],
    "no-scheme": [null, ['cluster "no-scheme": server "10.0.0.9:6443"', 'cluster "no-scheme": certificate-authority-data', 'user "token"']],
    "no-user": [null, prodTls],
  };
  for (const [context, [credentials, fields]] of Object.entries(table)) {
    const r = resolveContext(k, context);
    assert.equal(r.context, context);
    assert.deepEqual(r.credentials, credentials, context);
    assert.deepEqual(
      r.unsupported.map((u) => u.field),
      fields,
      context,
    );
    for (const u of r.unsupported) assert.ok(u.reason.length > 0 && u.instead.length > 0, `${context}: ${u.field}`);
  }
  const token = resolveContext(ALL); // the text works too, and current-context is the default
  assert.deepEqual(token, {
    context: "token",
    cluster: "prod",
    user: "token",
    server: "https://10.0.0.1:6443",
    namespace: "monitoring",
    credentials: { token: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln" },
    caData: CA_PEM,
    insecureSkipTlsVerify: false,
    tlsServerName: "api.prod.internal",
    proxyUrl: "socks5://localhost:1080",
    unsupported: token.unsupported,
  });
  assert.match(resolveContext(k, "exec").unsupported.at(-1)?.instead ?? "", /aws eks get-token --cluster-name prod/);
  const rancher = resolveContext(k, "token-and-file");
  assert.equal(rancher.server, "https://rancher.example/k8s/clusters/c-abc");
  assert.equal(rancher.insecureSkipTlsVerify, true);
  assert.equal(resolveContext(k, "kubectl-proxy").server, "http://localhost:8001");
});

test("resolveContext: missing and dangling current-context, unknown context", () => {
  const none = thrown(() => resolveContext(fixture("no-current-context.yaml")));
  assert.equal(none.code, "InvalidKubeconfig");
  assert.match(none.message, /current-context is not set; contexts: first, second/);
  assert.deepEqual(none.detail, { available: ["first", "second"] });
  assert.equal(resolveContext(fixture("no-current-context.yaml"), "second").namespace, "kube-system");

  const dangling = thrown(() => resolveContext(fixture("dangling-current-context.yaml")));
  assert.equal(dangling.code, "InvalidKubeconfig");
  assert.match(dangling.message, /context was not found for specified context: deleted-yesterday; contexts: first/);
  assert.deepEqual(dangling.detail, { available: ["first"] });
  assert.equal(parseKubeconfig(fixture("dangling-current-context.yaml")).currentContext, "deleted-yesterday");

  const refs = thrown(() => resolveContext(fixture("dangling-references.yaml"), "missing-cluster"));
  assert.equal(refs.code, "InvalidKubeconfig");
});

test("the JSON form, and parseKubeconfig's objects (or kubectl's JSON objects) handed back", () => {
  const json = fixture("kubeconfig.json");
  const k = parseKubeconfig(json);
  assert.equal(k.currentContext, "kind-kind");
  const r = resolveContext(k);
  assert.deepEqual([r.server, r.namespace, r.credentials], ["https://127.0.0.1:41234", "dev", { username: "kind", password: "pw" }]);
  // `kubectl config view -o json` as an object: the file's own names.
  assert.deepEqual(resolveContext(JSON.parse(json)), r);
  // Objects round-trip (the Rust tests check every field): minify an object, minify it again.
  const all = parseKubeconfig(ALL);
  for (const context of ["exec", "impersonate", "oidc", "client-cert", "with-extension"]) {
    const once = minifyKubeconfig(all, context);
    assert.deepEqual(once, minifyKubeconfig(ALL, context));
    assert.deepEqual(minifyKubeconfig(once), once, context);
    assert.deepEqual(minifyKubeconfig(JSON.parse(JSON.stringify(once))), once, context);
  }
});

test("broken kubeconfigs say where: line and column in detail", () => {
  const syntax = thrown(() => parseKubeconfig(fixture("broken-syntax.yaml")));
  assert.equal(syntax.code, "InvalidKubeconfig");
  assert.deepEqual([syntax.detail?.line, syntax.detail?.column], [6, 4]);
  assert.match(syntax.message, /^invalid kubeconfig YAML at line 6, column 4: /);
  const type = thrown(() => parseKubeconfig(fixture("broken-type.yaml")));
  assert.deepEqual(type.detail, { line: 7, column: 13, path: "users[0].user.exec.args" });
  assert.match(type.message, /expected a list, found a scalar/);
  const base64 = thrown(() => parseKubeconfig(fixture("broken-base64.yaml")));
  assert.equal(base64.detail?.path, "clusters[0].cluster.certificate-authority-data");
  assert.equal(thrown(() => parseKubeconfig(/** @type {any} */ (7))).code, "InvalidArgument");
  assert.equal(thrown(() => resolveContext(/** @type {any} */ (null))).code, "InvalidArgument");
});

test("minifyKubeconfig keeps one context, its cluster and its user", () => {
  const small = minifyKubeconfig(ALL, "basic");
  assert.deepEqual(
    [small.currentContext, small.contexts.map((c) => c.name), small.clusters.map((c) => c.name), small.users.map((u) => u.name)],
    ["basic", ["basic"], ["prod"], ["basic"]],
  );
  assert.equal(minifyKubeconfig(ALL).currentContext, "token");
  const e = thrown(() => minifyKubeconfig(ALL, "nope"));
  assert.equal(e.code, "InvalidKubeconfig");
  assert.equal(e.message, "cannot locate context nope");
  assert.deepEqual(e.detail, { name: "nope" });
  assert.equal(thrown(() => minifyKubeconfig(fixture("no-current-context.yaml"))).message, "current-context must exist in order to minify");
});

// ------------------------------------------------------------------------------------------
// credentials, tokens, in-cluster

test("authorizationHeader: bearer and basic, header injection refused without repeating the secret", () => {
  assert.equal(authorizationHeader({ token: "  abc.def\n" }), "Bearer abc.def");
  assert.equal(authorizationHeader({ username: "Aladdin", password: "open sesame" }), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  const cases = [
    [{ token: "secret\r\nX-Evil: 1" }, { part: "token", at: 6 }],
    [{ token: "sec ret" }, { part: "token", at: 3 }],
    [{ token: "sécret" }, { part: "token", at: 1 }],
    [{ token: "" }, { part: "token" }],
    [{ username: "a:b", password: "secret" }, { part: "username", at: 1 }],
    [{ username: "a", password: "sec\nret" }, { part: "password", at: 3 }],
  ];
  for (const [credentials, detail] of cases) {
    const e = thrown(() => authorizationHeader(credentials));
    assert.equal(e.code, "InvalidCredentials", JSON.stringify(credentials));
    assert.deepEqual(e.detail, detail);
    assert.doesNotMatch(e.message, /secret|ret/);
  }
  // Both kinds at once: refused like client-go does, as a credentials error without a part.
  const both = thrown(() => authorizationHeader({ token: "a", username: "b", password: "c" }));
  assert.deepEqual([both.code, both.detail, both.message], ["InvalidCredentials", undefined, "username/password or bearer token may be set, but not both"]);
  assert.equal(thrown(() => authorizationHeader(/** @type {any} */ ("abc"))).code, "InvalidArgument");
});

test("decodeSecretToken: the jsonpath + base64 --decode pipeline", () => {
  assert.equal(decodeSecretToken("bXktdG9rZW4=\n"), "my-token");
  assert.equal(decodeSecretToken("  bXkt\ndG9rZW4=\r\n"), "my-token");
  const decoded = thrown(() => decodeSecretToken("eyJhbGciOiJSUzI1NiJ9.e30.sig"));
  assert.equal(decoded.code, "InvalidToken");
  assert.match(decoded.message, /already decoded/);
  assert.deepEqual(decoded.detail, { looksDecoded: true });
  assert.deepEqual(thrown(() => decodeSecretToken("/w==")).detail, { at: 0 });
});

/** A JWT with these header and claims and a fake signature. */
function jwt(header, claims) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${b64(header)}.${b64(claims)}.c2lnbmF0dXJl`;
}

test("inspectToken: bound and legacy service-account tokens, expiry, opaque tokens", () => {
  const bound = jwt(
    { alg: "RS256", kid: "k1" },
    {
      iss: "https://kubernetes.default.svc",
      sub: "system:serviceaccount:monitoring:grafana",
      aud: ["https://kubernetes.default.svc"],
      iat: 1700000000,
      nbf: 1700000000,
      exp: 1700003600,
      "kubernetes.io": { namespace: "monitoring", serviceaccount: { name: "grafana", uid: "u-1" }, pod: { name: "grafana-0", uid: "p-1" } },
    },
  );
  assert.deepEqual(inspectToken(bound, 1700000100), {
    kind: "jwt",
    algorithm: "RS256",
    keyId: "k1",
    subject: "system:serviceaccount:monitoring:grafana",
    issuer: "https://kubernetes.default.svc",
    audiences: ["https://kubernetes.default.svc"],
    issuedAt: 1700000000,
    notBefore: 1700000000,
    expiresAt: 1700003600,
    expired: false,
    notYetValid: false,
    namespace: "monitoring",
    serviceAccount: { name: "grafana", uid: "u-1" },
    pod: { name: "grafana-0", uid: "p-1" },
    legacy: false,
  });
  assert.equal(inspectToken(bound, 1700003600).expired, true);
  assert.equal(inspectToken(bound).expired, true); // now: the current time, long after 2023
  const legacy = inspectToken(
    jwt({ alg: "RS256" }, {
      iss: "kubernetes/serviceaccount",
      sub: "system:serviceaccount:kube-system:default",
      "kubernetes.io/serviceaccount/namespace": "kube-system",
      "kubernetes.io/serviceaccount/service-account.name": "default",
      "kubernetes.io/serviceaccount/service-account.uid": "u-2",
      "kubernetes.io/serviceaccount/secret.name": "default-token-abc",
    }),
    0,
  );
  assert.equal(legacy.kind, "jwt");
  if (legacy.kind === "jwt") {
    assert.deepEqual([legacy.legacy, legacy.namespace, legacy.serviceAccount, legacy.secret, legacy.expiresAt], [
      true,
      "kube-system",
      { name: "default", uid: "u-2" },
      { name: "default-token-abc" },
      undefined,
    ]);
  }
  for (const opaque of ["static-token-123", "abcdef.0123456789abcdef", "a.b.c"]) {
    assert.deepEqual(inspectToken(opaque), { kind: "opaque" }, opaque);
  }
  const bad = thrown(() => inspectToken(jwt({ alg: "none" }, { exp: "tomorrow" })));
  assert.equal(bad.code, "InvalidToken");
  assert.match(bad.message, /exp: expected a number of seconds, found a string/);
  assert.equal(thrown(() => inspectToken("x", Number.NaN)).code, "InvalidArgument");
});

test("inClusterConfig: server with IPv6 brackets, token trimmed, namespace order", () => {
  const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  assert.deepEqual(
    inClusterConfig({ serviceHost: "fd00::1", servicePort: "443", token: "tok\n", caCrt: pem, namespaceFile: "team-a\n" }),
    { server: "https://[fd00::1]:443", token: "tok", caData: pem, namespace: "team-a" },
  );
  assert.equal(inClusterConfig({ serviceHost: "10.96.0.1", servicePort: "443", token: "t", podNamespace: "pod-ns", namespaceFile: "file-ns" }).namespace, "pod-ns");
  assert.deepEqual(inClusterConfig({ serviceHost: "10.96.0.1", servicePort: "443", token: "t", caCrt: "not pem" }), {
    server: "https://10.96.0.1:443",
    token: "t",
    namespace: "default",
  });
  const e = thrown(() => inClusterConfig({ serviceHost: "10.96.0.1" }));
  assert.equal(e.code, "NotInCluster");
  assert.match(e.message, /KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined/);
  assert.equal(thrown(() => inClusterConfig({ serviceHost: "h", servicePort: "1" })).code, "NotInCluster");
});

test("clusterInfo and openableEndpoints over a service list", () => {
  const list = {
    items: [
      {
        metadata: { name: "kube-dns", namespace: "kube-system", labels: { "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS" } },
        spec: { selector: { k8s: "dns" }, ports: [{ name: "dns", port: 53, protocol: "UDP" }, { name: "metrics", port: 9153 }] },
      },
      { metadata: { name: "grafana", namespace: "monitoring" }, spec: { selector: { app: "grafana" }, ports: [{ name: "service", port: 3000 }, { name: "grpc", port: 9095 }] } },
    ],
  };
  assert.deepEqual(clusterInfo(list, "https://10.0.0.1:6443"), [
    { name: "CoreDNS", namespace: "kube-system", url: "https://10.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy" },
  ]);
  const open = openableEndpoints(list, "https://10.0.0.1:6443/");
  assert.deepEqual(open, [
    {
      namespace: "kube-system",
      name: "kube-dns",
      port: 9153,
      portName: "metrics",
      scheme: "http",
      url: "https://10.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:9153/proxy/",
      evidence: "portName",
      target: { kind: "service", namespace: "kube-system", name: "kube-dns", scheme: "", port: "9153" },
    },
    {
      namespace: "monitoring",
      name: "grafana",
      port: 3000,
      portName: "service",
      scheme: "http",
      url: "https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/grafana:3000/proxy/",
      evidence: "wellKnownPort",
      target: { kind: "service", namespace: "monitoring", name: "grafana", scheme: "", port: "3000" },
    },
  ]);
  // The target is the main entry's ParsedTarget: it builds the same URL.
  assert.equal(proxyUrl("https://10.0.0.1:6443", open[1].target), open[1].url);
  assert.equal(thrown(() => openableEndpoints(list, "not a url")).code, "InvalidServer");
  assert.equal(thrown(() => clusterInfo({ items: [{ spec: { ports: "x" } }] }, "https://k")).code, "InvalidArgument");
});

// ------------------------------------------------------------------------------------------
// the client against the sandbox

const TOKENS = { "admin-token": "admin", "alice-token": "alice" };
const AUTHZ = `rules:
  - users: [admin]
    resources: ["*"]
    verbs: ["*"]
  - users: [alice]
    namespaces: [demo]
    resources: [services, services/proxy]
    verbs: [get, list]
`;

/** @type {import("../support/sandbox.mjs").Sandbox} */
let sandbox;
/** @type {import("../support/sandbox.mjs").Sandbox} */
let tlsSandbox;
/** Local servers that misbehave: never answer, answer garbage, answer a status. */
let misbehaving;
let misbehavingUrl = "";
/** A port nothing listens on. */
let closedUrl = "";

before(async () => {
  [sandbox, tlsSandbox] = await Promise.all([
    startSandbox({ tokens: TOKENS, authz: AUTHZ }),
    startSandbox({ tokens: TOKENS, authz: AUTHZ, tls: true }),
  ]);
  misbehaving = createServer((req, res) => {
    if (req.url?.startsWith("/hang/")) return; // never answers
    if (req.url?.startsWith("/garbage/")) return res.writeHead(200, { "content-type": "application/json" }).end("<html>not json</html>");
    if (req.url?.startsWith("/wrong-kind/")) return res.writeHead(200).end('{"kind":"PodList","items":[]}');
    const status = Number(req.url?.split("/")[1]);
    const body = JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message: `told to answer ${status}`, reason: "Told", code: status });
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  await new Promise((resolve) => misbehaving.listen(0, "127.0.0.1", resolve));
  misbehavingUrl = `http://127.0.0.1:${misbehaving.address().port}`;
  const closed = createServer();
  await new Promise((resolve) => closed.listen(0, "127.0.0.1", resolve));
  closedUrl = `http://127.0.0.1:${closed.address().port}`;
  await new Promise((resolve) => closed.close(resolve));
});

after(async () => {
  misbehaving?.closeAllConnections();
  await new Promise((resolve) => misbehaving?.close(resolve));
  await Promise.all([sandbox?.stop(), tlsSandbox?.stop()]);
});

test("Cluster: every method against the sandbox", async () => {
  const cluster = new Cluster({ server: sandbox.url + "/", token: "admin-token" });
  assert.equal(cluster.server, sandbox.url);
  const version = await cluster.version();
  assert.equal(version.major, "1");
  assert.match(version.gitVersion, /^v1\./);
  const api = await cluster.apiVersions();
  assert.deepEqual(api.versions, ["v1"]);
  const namespaces = await cluster.listNamespaces();
  assert.deepEqual(
    namespaces.items.map((n) => n.metadata.name).sort(),
    ["default", "demo", "kube-node-lease", "kube-public", "kube-system", "monitoring"],
  );
  assert.equal(namespaces.items[0].status.phase, "Active");
  const all = await cluster.listServices();
  assert.ok(all.items.some((s) => s.metadata.namespace === "monitoring" && s.metadata.name === "prometheus"));
  const demo = await cluster.listServices("demo");
  assert.deepEqual(demo.items.map((s) => s.metadata.name).sort(), ["brotli", "identity", "no-endpoints", "web", "web-multi", "web-unnamed"]);
  const web = demo.items.find((s) => s.metadata.name === "web");
  assert.deepEqual(web?.spec.ports, [{ name: "http", port: 80, protocol: "TCP", appProtocol: "http", targetPort: "http" }]);
  const pods = await cluster.listPods("demo");
  const web0 = pods.items.find((p) => p.metadata.name === "web-0");
  assert.equal(web0?.spec.nodeName, "node-1");
  assert.deepEqual(web0?.spec.containers[0].ports.map((p) => p.containerPort), [8080, 9100]);
  const nodes = await cluster.listNodes();
  assert.deepEqual(nodes.items.map((n) => n.metadata.name), ["node-1"]);
  assert.equal(nodes.items[0].status.daemonEndpoints.kubeletEndpoint.Port, 10250);
  assert.deepEqual(await cluster.clusterInfo(), [
    { name: "Dashboard", namespace: "kube-system", url: `${sandbox.url}/api/v1/namespaces/kube-system/services/kubernetes-dashboard:http/proxy` },
  ]);
  const open = await cluster.openableEndpoints("demo");
  assert.deepEqual(
    open.map((e) => `${e.name}:${e.port}`),
    ["brotli:80", "identity:80", "no-endpoints:80", "web:80", "web-multi:80", "web-multi:9100", "web-unnamed:80"],
  );
  // web-unnamed has no selector but hand-written Endpoints naming a pod: listed, and really
  // proxyable at the URL listed.
  const unnamed = open.find((e) => e.name === "web-unnamed");
  assert.equal(unnamed?.url, `${sandbox.url}/api/v1/namespaces/demo/services/web-unnamed:80/proxy/`);
  const unnamedPage = await cluster.proxyFetch(/** @type {NonNullable<typeof unnamed>} */ (unnamed).target, "/");
  assert.equal(unnamedPage.status, 200);
  assert.match(await unnamedPage.text(), /<html/i);
  const openAll = await cluster.openableEndpoints();
  assert.ok(openAll.some((e) => e.namespace === "monitoring" && e.name === "prometheus" && e.port === 9090));

  const webEndpoint = open.find((e) => e.name === "web");
  const page = await cluster.proxyFetch(/** @type {NonNullable<typeof webEndpoint>} */ (webEndpoint).target, "/");
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<html/i);
  assert.equal(await responseError(page), null);
  const byHand = await cluster.proxyFetch({ kind: "pod", namespace: "demo", name: "web-0", port: 8080 }, "index.html?x=1");
  assert.equal(byHand.status, 200);
  assert.equal(new URL(byHand.url).pathname, "/api/v1/namespaces/demo/pods/web-0:8080/proxy/index.html");
});

test("Cluster: Unauthorized, Forbidden, NotFound with the server's message", async () => {
  const wrong = new Cluster({ server: sandbox.url, token: "wrong-token" });
  const unauthorized = await rejected(wrong.listNamespaces());
  assert.equal(unauthorized.code, "Unauthorized");
  assert.equal(unauthorized.message, "Unauthorized");
  assert.deepEqual(unauthorized.detail, { status: 401, reason: "Unauthorized", path: "/api/v1/namespaces" });
  assert.equal((await rejected(new Cluster({ server: sandbox.url }).version())).code, "Unauthorized");

  const alice = new Cluster({ server: sandbox.url, token: "alice-token" });
  assert.ok((await alice.listServices("demo")).items.length > 0);
  const forbidden = await rejected(alice.listServices("monitoring"));
  assert.equal(forbidden.code, "Forbidden");
  assert.match(forbidden.message, /services is forbidden: User "alice" cannot list resource "services" in API group "" in the namespace "monitoring"/);
  assert.equal(forbidden.detail?.status, 403);

  const nowhere = new Cluster({ server: `${sandbox.url}/no/such/prefix`, token: "admin-token" });
  const notFound = await rejected(nowhere.version());
  assert.equal(notFound.code, "NotFound");
  assert.equal(notFound.detail?.status, 404);

  const admin = new Cluster({ server: sandbox.url, token: "admin-token" });
  const missing = await admin.proxyFetch({ kind: "service", namespace: "demo", name: "missing" }, "/");
  assert.equal(missing.status, 404);
  const missingError = await responseError(missing);
  assert.equal(missingError?.code, "NotFound");
  // spec §2.2: the proxy looks the Endpoints object up, and says so.
  assert.equal(missingError?.message, 'endpoints "missing" not found');
  assert.match(await missing.text(), /"code":404/, "the body is still readable");
});

test("Cluster: a service without endpoints is ServiceUnavailable; other statuses HttpError", async () => {
  const admin = new Cluster({ server: sandbox.url, token: "admin-token" });
  const idle = await admin.proxyFetch({ kind: "service", namespace: "demo", name: "no-endpoints", port: 80 }, "/");
  assert.equal(idle.status, 503);
  const idleError = await responseError(idle);
  assert.equal(idleError?.code, "ServiceUnavailable");
  assert.equal(idleError?.message, 'no endpoints available for service "no-endpoints"');
  assert.equal(idleError?.detail?.path, "/api/v1/namespaces/demo/services/no-endpoints:80/proxy/");

  const told = (status) => new Cluster({ server: `${misbehavingUrl}/${status}` });
  const unavailable = await rejected(told(503).version());
  assert.deepEqual([unavailable.code, unavailable.message, unavailable.detail?.status], ["ServiceUnavailable", "told to answer 503", 503]);
  const teapot = await rejected(told(418).listNodes());
  assert.deepEqual([teapot.code, teapot.message, teapot.detail?.status, teapot.detail?.reason], ["HttpError", "told to answer 418", 418, "Told"]);
  assert.equal((await rejected(told(500).listNamespaces())).code, "HttpError");
});

test("Cluster: garbage answers are InvalidResponse", async () => {
  const garbage = await rejected(new Cluster({ server: `${misbehavingUrl}/garbage` }).listNamespaces());
  assert.equal(garbage.code, "InvalidResponse");
  assert.match(garbage.message, /answer to GET \/api\/v1\/namespaces is not a NamespaceList: expected value at line 1 column 1/);
  const wrongKind = await rejected(new Cluster({ server: `${misbehavingUrl}/wrong-kind` }).listServices());
  assert.equal(wrongKind.code, "InvalidResponse");
  assert.match(wrongKind.message, /its kind is "PodList"/);
});

// A bounded test: a client that never times out would hang here, not pass.
test("Cluster: server down is Network; no answer in time is Timeout; the caller's abort is Aborted", { timeout: 30_000 }, async () => {
  const down = await rejected(new Cluster({ server: closedUrl }).version());
  assert.equal(down.code, "Network");
  assert.match(down.message, /ECONNREFUSED/);
  assert.ok(down.cause instanceof Error);

  const slow = new Cluster({ server: `${misbehavingUrl}/hang`, timeout: 300 });
  const started = Date.now();
  const timeout = await rejected(slow.listNodes());
  assert.equal(timeout.code, "Timeout");
  assert.deepEqual(timeout.detail, { timeout: 300 });
  assert.ok(Date.now() - started < 5000);

  const patient = new Cluster({ server: `${misbehavingUrl}/hang` });
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error("user went away")), 100);
  const aborted = await rejected(patient.version({ signal: controller.signal }));
  assert.equal(aborted.code, "Aborted");
  assert.equal(/** @type {Error} */ (aborted.cause).message, "user went away");
  assert.equal((await rejected(patient.proxyFetch({ kind: "node", name: "n1" }, "/", { signal: AbortSignal.abort() }))).code, "Aborted");

  // TLS the process does not trust: Network, saying why.
  const untrusted = await rejected(new Cluster({ server: tlsSandbox.url, token: "admin-token" }).version());
  assert.equal(untrusted.code, "Network");
  assert.match(untrusted.message, /certificate/i);
});

test("Cluster: bad options and arguments are refused before any request", async () => {
  assert.equal(thrown(() => new Cluster({ server: "localhost:6443" })).code, "InvalidServer");
  assert.equal(thrown(() => new Cluster({ server: sandbox.url, token: "a\r\nb" })).code, "InvalidCredentials");
  assert.equal(thrown(() => new Cluster({ server: sandbox.url, token: "a", username: "b", password: "c" })).code, "InvalidCredentials");
  assert.equal(thrown(() => new Cluster({ server: sandbox.url, timeout: -1 })).code, "InvalidArgument");
  assert.equal(thrown(() => new Cluster(/** @type {any} */ ({}))).code, "InvalidArgument");
  const admin = new Cluster({ server: sandbox.url, token: "admin-token" });
  const bad = await rejected(admin.listPods("Not_A_Namespace"));
  assert.deepEqual([bad.code, bad.detail], ["InvalidArgument", { namespace: "Not_A_Namespace" }]);
  assert.equal((await rejected(admin.listServices("../secrets"))).code, "InvalidArgument");
  assert.equal((await rejected(admin.proxyFetch({ kind: "service", namespace: "demo", name: "Web" }, "/"))).code, "InvalidTarget");
  assert.equal((await rejected(admin.proxyFetch({ kind: "secret", namespace: "demo", name: "web" }, "/"))).code, "InvalidTarget");
});

test("Cluster: basic auth and a caller's fetch are used; the token never appears in a URL", async () => {
  /** @type {{ url: string, authorization: string | null }[]} */
  const seen = [];
  /** @type {typeof fetch} */
  const recording = async (input, init) => {
    seen.push({ url: String(input), authorization: new Headers(init?.headers).get("authorization") });
    return fetch(input, init);
  };
  const cluster = new Cluster({ server: sandbox.url, token: "admin-token", fetch: recording });
  await cluster.version();
  await cluster.proxyFetch({ kind: "service", namespace: "demo", name: "web", port: "http" }, "/", {
    headers: { Authorization: "Bearer something-else", "X-Extra": "1" },
  });
  assert.deepEqual(seen.map((s) => s.authorization), ["Bearer admin-token", "Bearer admin-token"]);
  assert.ok(seen.every((s) => !s.url.includes("admin-token")));
  const basic = new Cluster({ server: `${misbehavingUrl}/401`, username: "carol", password: "pw", fetch: recording });
  await rejected(basic.version());
  assert.equal(seen.at(-1)?.authorization, "Basic Y2Fyb2w6cHc=");
});

test("Cluster over TLS, in a process that trusts the sandbox's CA (NODE_EXTRA_CA_CERTS)", async () => {
  const child = `
    import { Cluster } from "kubeopen/cluster";
    const cluster = new Cluster({ server: process.env.SERVER, token: "admin-token" });
    const version = await cluster.version();
    const services = await cluster.listServices("demo");
    const page = await cluster.proxyFetch({ kind: "service", namespace: "demo", name: "web", port: 80 }, "/");
    let denied = "";
    try { await new Cluster({ server: process.env.SERVER, token: "nope" }).listNodes(); } catch (e) { denied = e.code; }
    console.log(JSON.stringify({ git: version.gitVersion, services: services.items.length, status: page.status, denied }));
  `;
  const out = await new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ["--input-type=module", "-e", child],
      { cwd: root, env: { ...process.env, NODE_EXTRA_CA_CERTS: tlsSandbox.caFile, SERVER: tlsSandbox.url } },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    ),
  );
  assert.ok(tlsSandbox.url.startsWith("https://"));
  const result = JSON.parse(String(out));
  assert.match(result.git, /^v1\./);
  assert.equal(result.services, 6);
  assert.equal(result.status, 200);
  assert.equal(result.denied, "Unauthorized");
});
