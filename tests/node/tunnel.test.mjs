// `Cluster.portForward` and `Cluster.tunnelFetch` from Node against the sandbox's
// `pods/NAME/portforward` WebSocket: the demo cluster's `identity` app (whose page the proxy
// loses), RBAC (403 naming the missing permission, 401), no ready endpoint; and a second sandbox
// whose pod is a raw TCP server here, so every framing (chunked, gzip, close-delimited, a broken
// one), the request bytes the pod receives, POST bodies, timeouts and aborts can be checked.
// Node 20 has a global WebSocket only with --experimental-websocket, which scripts/test.sh's
// node-package layer passes (Node 22+ has it anyway); the test hands it over as the `WebSocket`
// option, as a Node 20 user without the flag would pass a `ws` or undici WebSocket.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { gzipSync, deflateSync } from "node:zlib";
import { tmpdir } from "node:os";
import path from "node:path";
import { Cluster, KubeopenError } from "kubeopen/cluster";
import { startSandbox, root } from "../support/sandbox.mjs";
import { rejected } from "../support/kubeopen-errors.mjs";

const NodeWebSocket = globalThis.WebSocket;
if (!NodeWebSocket) throw new Error("no global WebSocket: run with node --experimental-websocket (Node 20)");

const TOKENS = { "admin-token": "admin", "viewer-token": "viewer", "creator-token": "creator" };
// viewer: everything for the proxy and the lookups, and `get` on pods/portforward but not `create`;
// creator: `create` but not `get`.
const AUTHZ = `rules:
  - users: [admin]
    resources: ["*"]
    verbs: ["*"]
  - users: [viewer, creator]
    resources: [services, services/proxy, endpointslices, pods]
    verbs: [get, list]
  - users: [viewer]
    resources: [pods/portforward]
    verbs: [get]
  - users: [creator]
    resources: [pods/portforward]
    verbs: [create]
`;
const IDENTITY = { kind: "service", namespace: "demo", name: "identity", port: "http" };
const appFile = (name) => readFile(path.join(root, "tests", "fixtures", "apps", "identity", name), "utf8");

let demo, raw, pod, dir;

/** Every request the raw pod server got: its head and body, and when its connection ended. */
const seen = { requests: /** @type {{ head: string, body: Buffer, ended?: number }[]} */ ([]) };

/** The pod's answers, by path: raw bytes, so each framing is exactly what is written. */
function answer(socket, target, head, body) {
  const write = (text) => socket.write(typeof text === "string" ? Buffer.from(text, "latin1") : text);
  switch (target.split("?")[0]) {
    case "/chunked":
      write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
      setTimeout(() => write("7;ext=\"x\"\r\n second\r\n0\r\nX-Trailer: t\r\n\r\n"), 50);
      return;
    case "/gzip": {
      const gz = gzipSync("a gzipped body ".repeat(50));
      write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`);
      write(gz);
      return;
    }
    case "/deflate": {
      const z = deflateSync("a deflated body");
      write(`HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: ${z.length}\r\n\r\n`);
      write(z);
      return;
    }
    case "/close":
      write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the connection closes");
      socket.end();
      return;
    case "/hold": // a complete Content-Length answer on a connection the pod keeps open
      write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nheld");
      return;
    case "/slow": // never answers
      return;
    case "/trickle": // a head, then a body that stops coming
      write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
      return;
    case "/broken":
      write("HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n");
      return;
    case "/redirect":
      write("HTTP/1.1 302 Found\r\nLocation: /login\r\nContent-Length: 0\r\n\r\n");
      return;
    case "/echo": {
      const json = JSON.stringify({ head, body: body.toString("utf8") });
      write(`HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
      return;
    }
    default:
      write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  }
}

/** A TCP server playing the pod: `ECHO…` connections echo every byte; others are one HTTP request. */
function startPod() {
  const server = createServer((socket) => {
    let buf = Buffer.alloc(0);
    let mode = "";
    /** @type {{ head: string, body: Buffer, ended?: number } | undefined} */
    let request;
    socket.on("data", (chunk) => {
      if (mode === "echo") return void socket.write(chunk);
      if (mode) return;
      buf = Buffer.concat([buf, chunk]);
      if (buf.subarray(0, 4).toString() === "ECHO") {
        mode = "echo";
        socket.write(buf);
        return;
      }
      const end = buf.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = buf.subarray(0, end).toString("latin1");
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      mode = "http";
      const body = buf.subarray(end + 4, end + 4 + length);
      request = { head, body };
      seen.requests.push(request);
      answer(socket, head.split(" ")[1], head, body);
    });
    socket.on("end", () => {
      if (request) request.ended = Date.now();
    });
    socket.on("error", () => {});
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

before(async () => {
  pod = await startPod();
  const port = pod.address().port;
  dir = await mkdtemp(path.join(tmpdir(), "kubeopen-tunnel-"));
  const fixture = path.join(dir, "raw.yaml");
  await writeFile(
    fixture,
    `namespaces:
  - name: t
nodes:
  - name: node-1
pods:
  - name: raw-0
    namespace: t
    labels: {app: raw}
    nodeName: node-1
    podIPs: [10.244.9.9]
    dialAddress: 127.0.0.1
    containers:
      - name: raw
        ports: [{name: web, containerPort: ${port}}]
services:
  - name: raw
    namespace: t
    selector: {app: raw}
    ports:
      - {name: web, port: 80, targetPort: web}
`,
  );
  [demo, raw] = await Promise.all([startSandbox({ tokens: TOKENS, authz: AUTHZ }), startSandbox({ fixture, tokens: TOKENS })]);
});

after(async () => {
  await Promise.all([demo?.stop(), raw?.stop()]);
  await new Promise((resolve) => (pod ? pod.close(resolve) : resolve()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A client of a sandbox, with Node's WebSocket. */
const client = (sandbox, token = "admin-token", extra = {}) => new Cluster({ server: sandbox.url, token, WebSocket: NodeWebSocket, ...extra });

const RAW = { kind: "service", namespace: "t", name: "raw", port: 80 };

// ------------------------------------------------------------------------------------------
// the identity app of the demo cluster

test("tunnelFetch: the identity app's page arrives whole, where the proxy loses it", async () => {
  const c = client(demo);
  const expected = await appFile("index.html");
  const proxied = await c.proxyFetch(IDENTITY, "/").then((r) => r.text(), (e) => `error: ${e.code}`);
  assert.notEqual(proxied, expected, "the proxy really loses the page (else this test proves nothing)");
  const response = await c.tunnelFetch(IDENTITY, "/");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
  assert.equal(await response.text(), expected);
  // The second page, by the service port's number this time, and the app's API call.
  assert.equal(await (await c.tunnelFetch({ ...IDENTITY, port: 80 }, "second.html")).text(), await appFile("second.html"));
  const data = await (await c.tunnelFetch(IDENTITY, "/api/data")).json();
  assert.equal(data.forwardedUri, "/api/v1/namespaces/demo/services/identity:http/proxy/api/data");
});

test("tunnelFetch picks a ready endpoint: identity-0, not the unready identity-1 listed first", async () => {
  await (await client(demo).tunnelFetch(IDENTITY, "/api/data")).text();
  const log = demo.log();
  assert.match(log, /portforward demo\/identity-0:8080 -> .*connected/);
  assert.doesNotMatch(log, /portforward demo\/identity-1/);
});

test("portForward: raw bytes to a pod port and back, by port number and by container port name", async () => {
  for (const port of [8080, "http"]) {
    const pf = await client(demo).portForward({ namespace: "demo", name: "identity-0" }, port);
    assert.deepEqual([pf.pod, pf.port], ["identity-0", 8080]);
    const writer = pf.writable.getWriter();
    await writer.write(new TextEncoder().encode("GET /api/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    let text = "";
    const decoder = new TextDecoder();
    for await (const chunk of pf.readable) text += decoder.decode(chunk, { stream: true });
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(text, /"items":\["alpha","beta","gamma"\]/);
  }
});

test("Forbidden names the missing permission: create (the synthetic check) or get", async () => {
  const viewer = await rejected(client(demo, "viewer-token").tunnelFetch(IDENTITY, "/"));
  assert.equal(viewer.code, "Forbidden");
  assert.equal(viewer.detail.permission, "create pods/portforward");
  assert.equal(viewer.detail.status, 403);
  const creator = await rejected(client(demo, "creator-token").portForward({ namespace: "demo", name: "identity-0" }, 8080));
  assert.equal(creator.code, "Forbidden");
  assert.equal(creator.detail.permission, "get pods/portforward");
  assert.match(creator.message, /cannot get resource "pods\/portforward"/);
  // The same user may still use the proxy: only the tunnel is refused.
  assert.equal((await client(demo, "viewer-token").proxyFetch({ ...IDENTITY, kind: "service" }, "/api/data")).status, 200);
});

test("Unauthorized: a wrong token, on the lookups and on the socket itself", async () => {
  const e = await rejected(client(demo, "wrong").tunnelFetch(IDENTITY, "/"));
  assert.equal(e.code, "Unauthorized");
  // A pod's port number needs no lookup: the handshake's 401 is diagnosed.
  const s = await rejected(client(demo, "wrong").portForward({ namespace: "demo", name: "identity-0" }, 8080));
  assert.equal(s.code, "Unauthorized");
});

test("ServiceUnavailable: a service without a ready endpoint", async () => {
  const e = await rejected(client(demo).tunnelFetch({ kind: "service", namespace: "demo", name: "no-endpoints", port: "http" }, "/"));
  assert.equal(e.code, "ServiceUnavailable");
  assert.equal(e.message, "service demo/no-endpoints has no ready endpoint backed by a pod for port http (80)");
});

test("targets and credentials that cannot tunnel are refused before any socket", async () => {
  const c = client(demo);
  assert.equal((await rejected(c.tunnelFetch({ ...IDENTITY, port: 81 }, "/"))).code, "InvalidTarget");
  assert.equal((await rejected(c.tunnelFetch({ ...IDENTITY, scheme: "https" }, "/"))).code, "InvalidTarget");
  assert.equal((await rejected(c.tunnelFetch({ kind: "node", name: "node-1", port: 10250 }, "/"))).code, "InvalidTarget");
  assert.equal((await rejected(c.tunnelFetch(IDENTITY, "/", { headers: { "X-A": "1\r\nX-B: 2" } }))).code, "InvalidArgument");
  assert.equal((await rejected(c.tunnelFetch(IDENTITY, "/", { body: "x" }))).code, "InvalidArgument");
  const basic = new Cluster({ server: demo.url, username: "u", password: "p", WebSocket: NodeWebSocket });
  const e = await rejected(basic.portForward({ namespace: "demo", name: "identity-0" }, 8080));
  assert.equal(e.code, "UnsupportedCredentials");
  const saved = globalThis.WebSocket;
  delete globalThis.WebSocket;
  try {
    const none = await rejected(new Cluster({ server: demo.url, token: "admin-token" }).portForward({ namespace: "demo", name: "identity-0" }, 8080));
    assert.equal(none.code, "InvalidArgument");
    assert.match(none.message, /options\.WebSocket/);
  } finally {
    if (saved) globalThis.WebSocket = saved;
  }
});

test("the token travels only as a subprotocol: never in the URL, never to the pod", async () => {
  /** @type {{ url: string, protocols: string[] }[]} */
  const opened = [];
  class Recording extends NodeWebSocket {
    constructor(url, protocols) {
      opened.push({ url, protocols });
      super(url, protocols);
    }
  }
  const before = seen.requests.length;
  await (await client(raw, "admin-token", { WebSocket: Recording }).tunnelFetch(RAW, "/echo")).text();
  assert.equal(opened.length, 1);
  assert.equal(opened[0].url, `${raw.url.replace(/^http/, "ws")}/api/v1/namespaces/t/pods/raw-0/portforward?ports=${pod.address().port}`);
  assert.deepEqual(opened[0].protocols, [`base64url.bearer.authorization.k8s.io.${Buffer.from("admin-token").toString("base64url")}`, "v4.channel.k8s.io"]);
  assert.ok(!opened[0].url.includes("admin-token"));
  const { head } = seen.requests[before];
  assert.ok(!head.includes("admin-token") && !/authorization/i.test(head), head);
});

// ------------------------------------------------------------------------------------------
// framings and request bytes, against the raw pod

test("the request the pod receives: path, Host, X-Forwarded-Uri, Accept-Encoding, Connection: close", async () => {
  const before = seen.requests.length;
  const r = await client(raw).tunnelFetch(RAW, "a/../echo?x=1&y=%20", { headers: { "X-Custom": "yes", Connection: "keep-alive" } });
  assert.equal(r.status, 201);
  const { head } = seen.requests[before];
  const port = pod.address().port;
  assert.equal(
    head,
    `GET /echo?x=1&y=%20 HTTP/1.1\r\nHost: localhost:${port}\r\nAccept-Encoding: identity\r\nX-Custom: yes\r\n` +
      `X-Forwarded-Uri: /api/v1/namespaces/t/services/raw:80/proxy/echo\r\nConnection: close`,
  );
});

test("POST with a body: Content-Length and the bytes, the Content-Type of the body", async () => {
  const r = await client(raw).tunnelFetch(RAW, "/echo", { method: "post", body: new URLSearchParams({ q: "a b", n: "1" }) });
  assert.equal(r.status, 201);
  const { head, body } = await r.json();
  assert.match(head, /^POST \/echo HTTP\/1\.1\r\n/);
  assert.match(head, /\r\ncontent-type: application\/x-www-form-urlencoded;charset=UTF-8\r\n/);
  assert.match(head, /\r\nContent-Length: 9\r\n/);
  assert.equal(body, "q=a+b&n=1");
});

test("a chunked answer: de-chunked, streamed as it comes, trailers not in the body", async () => {
  const r = await client(raw).tunnelFetch(RAW, "/chunked");
  assert.equal(r.headers.get("transfer-encoding"), "chunked");
  const reader = r.body.getReader();
  const first = await reader.read();
  assert.equal(new TextDecoder().decode(first.value), "first", "the first chunk arrives before the second is sent");
  let rest = "";
  for (let c = await reader.read(); !c.done; c = await reader.read()) rest += new TextDecoder().decode(c.value);
  assert.equal(rest, " second");
});

test("gzip and deflate answers are decoded, their Content-Encoding and Content-Length dropped", async () => {
  const gz = await client(raw).tunnelFetch(RAW, "/gzip", { headers: { "Accept-Encoding": "gzip" } });
  assert.equal(gz.headers.get("content-encoding"), null);
  assert.equal(gz.headers.get("content-length"), null);
  assert.equal(await gz.text(), "a gzipped body ".repeat(50));
  assert.match(seen.requests.at(-1).head, /\r\naccept-encoding: gzip\r\n/i);
  assert.equal(await (await client(raw).tunnelFetch(RAW, "/deflate")).text(), "a deflated body");
});

test("a close-delimited answer ends with the connection; a redirect is returned, not followed", async () => {
  assert.equal(await (await client(raw).tunnelFetch(RAW, "/close")).text(), "until the connection closes");
  const r = await client(raw).tunnelFetch(RAW, "/redirect");
  assert.deepEqual([r.status, r.headers.get("location")], [302, "/login"]);
});

test("HEAD: the head only, whatever Content-Length says; the pod got a HEAD", async () => {
  const r = await client(raw).tunnelFetch(RAW, "/hold", { method: "head" });
  assert.deepEqual([r.status, r.body, r.headers.get("content-length")], [200, null, "4"]);
  assert.match(seen.requests.at(-1).head, /^HEAD \/hold HTTP\/1\.1\r\n/);
});

test("the socket is closed as soon as the body is complete, whatever the pod does", async () => {
  // The pod keeps its connection open after a complete answer: only the client closing ends it
  // (then the runtime waits up to 1 s for the pod's side, as containerd does, and logs who ended).
  const closedByClient = () => (raw.log().match(/done \(client closed\)/g) ?? []).length;
  await new Promise((r) => setTimeout(r, 1200)); // earlier tests' connections finish their 1 s wait
  const before = closedByClient();
  const t0 = Date.now();
  assert.equal(await (await client(raw).tunnelFetch(RAW, "/hold")).text(), "held");
  assert.ok(Date.now() - t0 < 900, `the body took ${Date.now() - t0} ms`);
  const hold = /** @type {{ ended?: number }} */ (seen.requests.find((r) => r.head.startsWith("GET /hold ")));
  for (let i = 0; i < 100 && hold.ended === undefined; i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(hold.ended !== undefined, "the pod's connection was ended");
  assert.equal(closedByClient(), before + 1, "the client closed the socket");
});

test("InvalidResponse: a malformed answer says what and at which byte", async () => {
  const e = await rejected(client(raw).tunnelFetch(RAW, "/broken"));
  assert.equal(e.code, "InvalidResponse");
  assert.equal(e.message, "invalid HTTP response at byte 17: bad Content-Length: not a decimal number");
  assert.equal(e.detail.at, 17);
});

test("Timeout: no head within the client's timeout", async () => {
  const e = await rejected(client(raw, "admin-token", { timeout: 400 }).tunnelFetch(RAW, "/slow"));
  assert.equal(e.code, "Timeout");
  assert.equal(e.detail.timeout, 400);
});

test("Aborted: before the socket, while waiting, and while the body streams", async () => {
  const done = new AbortController();
  done.abort();
  assert.equal((await rejected(client(raw).tunnelFetch(RAW, "/echo", { signal: done.signal }))).code, "Aborted");
  const waiting = new AbortController();
  setTimeout(() => waiting.abort(), 150);
  assert.equal((await rejected(client(raw).tunnelFetch(RAW, "/slow", { signal: waiting.signal }))).code, "Aborted");
  const streaming = new AbortController();
  const r = await client(raw).tunnelFetch(RAW, "/trickle", { signal: streaming.signal });
  const reader = r.body.getReader();
  assert.equal(new TextDecoder().decode((await reader.read()).value), "0123456789");
  streaming.abort();
  const e = await reader.read().then(() => null, (err) => err);
  assert.ok(e instanceof KubeopenError && e.code === "Aborted", String(e));
});

test("portForward: an echo of every byte value, in pieces, and a forwarding error on the error channel", async () => {
  const pf = await client(raw).portForward({ namespace: "t", name: "raw-0" }, pod.address().port);
  const writer = pf.writable.getWriter();
  const bytes = new Uint8Array(70_000).map((_, i) => i % 256);
  await writer.write(new TextEncoder().encode("ECHO"));
  await writer.write(bytes);
  const got = [];
  let length = 0;
  for await (const chunk of pf.readable) {
    got.push(chunk);
    length += chunk.length;
    if (length >= bytes.length + 4) break;
  }
  const all = Buffer.concat(got);
  assert.equal(all.subarray(0, 4).toString(), "ECHO");
  assert.deepEqual(new Uint8Array(all.subarray(4)), bytes);
  pf.close();
  // A port nothing listens on: the kubelet's message arrives on the error channel.
  const closed = await client(raw).portForward({ namespace: "t", name: "raw-0" }, 1);
  const e = await closed.readable.getReader().read().then(() => null, (err) => err);
  assert.ok(e instanceof KubeopenError && e.code === "Network", String(e));
  assert.match(e.message, /error forwarding port 1 to pod/);
});
