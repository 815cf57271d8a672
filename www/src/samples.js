// @ts-check
// Example inputs behind the "Try an example" buttons: the kinds of things people paste.

/** A page written the way apps break behind the proxy: root-relative URLs everywhere. */
export const SAMPLE_HTML = `<!doctype html>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/app.js"></script>
<a href="/login">Log in</a>
<a href="docs/intro.html">Relative links already work</a>
<a href="https://kubernetes.io/">Other sites are left alone</a>
<img srcset="/img/logo.png 1x, /img/logo@2x.png 2x" alt="logo">
<a href="http://prometheus.monitoring.svc:9090/graph">In-cluster links become proxy URLs</a>
<div style="background: url(/img/bg.png)"></div>
`;

export const SAMPLE_CSS = `@import "/static/theme.css";
body { background: url(/img/bg.png) no-repeat; }
.logo { background-image: image-set("/img/logo.png" 1x, "/img/logo@2x.png" 2x); }
.relative { background: url(img/ok.png); }
`;

/** @param {object} value */
const base64url = (value) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

/**
 * An unsigned token shaped like what `kubectl create token grafana-viewer -n monitoring` prints,
 * valid for an hour from `now` (Unix seconds). Only its claims matter here.
 * @param {number} now
 */
export function sampleToken(now) {
  const header = { alg: "RS256", kid: "example-key" };
  const claims = {
    aud: ["https://kubernetes.default.svc.cluster.local"],
    exp: now + 3600,
    iat: now,
    iss: "https://kubernetes.default.svc.cluster.local",
    jti: "6b0c9c4e-0000-4000-8000-000000000000",
    "kubernetes.io": {
      namespace: "monitoring",
      serviceaccount: { name: "grafana-viewer", uid: "0d5f8e5a-0000-4000-8000-000000000001" },
    },
    nbf: now,
    sub: "system:serviceaccount:monitoring:grafana-viewer",
  };
  return `${base64url(header)}.${base64url(claims)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}

/** Four contexts: one a browser can use, one through kubectl proxy, two it cannot. */
export const SAMPLE_KUBECONFIG = `apiVersion: v1
kind: Config
current-context: dev
clusters:
  - name: dev
    cluster:
      server: https://10.0.0.1:6443
      certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJleGFtcGxlCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K
  - name: local-proxy
    cluster:
      server: http://127.0.0.1:8001
  - name: prod
    cluster:
      server: https://prod.example.com
contexts:
  - name: dev
    context: {cluster: dev, user: viewer, namespace: monitoring}
  - name: through-kubectl-proxy
    context: {cluster: local-proxy, user: nobody}
  - name: prod-admin
    context: {cluster: prod, user: admin-cert}
  - name: prod-eks
    context: {cluster: prod, user: eks}
users:
  - name: viewer
    user:
      token: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ2aWV3ZXIifQ.c2ln
  - name: nobody
    user: {}
  - name: admin-cert
    user:
      client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
      client-key-data: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCg==
  - name: eks
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1beta1
        command: aws
        args: [eks, get-token, --cluster-name, prod]
`;
