#!/usr/bin/env bash
# Starts the sandbox cluster (tests/fixtures/clusters/demo.yaml), a real Prometheus behind it, and
# the www pages two ways — beside the API at /ui/ (same origin, like `kubectl proxy --www`) and on
# their own origin with Vite's preview server (the dashboard then calls the API cross-origin,
# which the sandbox allows for that origin only); prints what to open. Ctrl-C stops everything.
# `make demo` builds first; run alone, this script checks that the builds are there.
set -euo pipefail
cd "$(dirname "$0")/.."

SANDBOX_PORT="${SANDBOX_PORT:-6443}"
WWW_PORT="${WWW_PORT:-5173}"
# The fixture's monitoring/prometheus pod dials 127.0.0.1:9090: not configurable.
PROMETHEUS_PORT=9090
FIXTURE=tests/fixtures/clusters/demo.yaml

die() { echo "demo: $*" >&2; exit 1; }
for built in target/debug/kubeopen-sandbox www/dist/index.html www/dist/dashboard.html extension/dist/chrome/manifest.json; do
  [ -e "$built" ] || die "$built is missing: run \`make demo\` (it builds everything first)"
done
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$SANDBOX_PORT" "$WWW_PORT"; do
  if port_busy "$p"; then
    die "port $p on 127.0.0.1 is already in use; stop what uses it (ss -ltnp 'sport = :$p') or choose another: make demo SANDBOX_PORT=… WWW_PORT=…"
  fi
done

pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
on_signal() {
  trap - INT TERM EXIT
  echo
  echo "demo: stopping"
  stop_all
  echo "demo: stopped"
  exit 0
}
trap on_signal INT TERM
trap stop_all EXIT

log=tests/.artifacts/demo-sandbox.log
mkdir -p tests/.artifacts
# The dashboard on the Vite origin may call the API (kube-apiserver's --cors-allowed-origins: regexes).
www_origin_re="^http://(127\\.0\\.0\\.1|localhost):$WWW_PORT\$"
target/debug/kubeopen-sandbox --listen "127.0.0.1:$SANDBOX_PORT" --fixture "$FIXTURE" --verbose \
  --www-dir www/dist --www-prefix /ui/ --cors-allowed-origins "$www_origin_re" >"$log" 2>&1 &
pids+=($!)
if port_busy "$PROMETHEUS_PORT"; then
  prometheus_note="port $PROMETHEUS_PORT is already in use: monitoring/prometheus will proxy to whatever listens there"
else
  prometheus --config.file=tests/fixtures/prometheus/prometheus.yml --storage.tsdb.path=tests/.artifacts/prometheus-data \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" >tests/.artifacts/demo-prometheus.log 2>&1 &
  pids+=($!)
  prometheus_note="Debian's Prometheus on 127.0.0.1:$PROMETHEUS_PORT"
fi
# Not through npx: its child would outlive a kill of the npx process.
node_modules/.bin/vite preview www --host 127.0.0.1 --port "$WWW_PORT" --strictPort >tests/.artifacts/demo-www.log 2>&1 &
pids+=($!)

# Wait until both answer (the sandbox prints its address when it listens).
for _ in $(seq 1 100); do
  if port_busy "$SANDBOX_PORT" && port_busy "$WWW_PORT"; then break; fi
  sleep 0.1
done
port_busy "$SANDBOX_PORT" || die "the sandbox did not start; see $log"
port_busy "$WWW_PORT" || die "the www server did not start; see tests/.artifacts/demo-www.log"

cat <<MSG

  kubeopen demo is running.

  Sandbox API server   http://127.0.0.1:$SANDBOX_PORT   (cluster: $FIXTURE; request log: $log)
    kubectl --server http://127.0.0.1:$SANDBOX_PORT get svc -A
    kubectl --server http://127.0.0.1:$SANDBOX_PORT cluster-info
  Apps through the API server's proxy, as a browser sees them without kubeopen:
    http://127.0.0.1:$SANDBOX_PORT/api/v1/namespaces/demo/services/web:http/proxy/
    http://127.0.0.1:$SANDBOX_PORT/api/v1/namespaces/monitoring/services/prometheus:web/proxy/   ($prometheus_note)
  Playground and dashboard, served beside the API (same origin, no token, no CORS):
    http://127.0.0.1:$SANDBOX_PORT/ui/                  the playground
    http://127.0.0.1:$SANDBOX_PORT/ui/dashboard.html    the dashboard: connects by itself, lists every service
  The same pages on their own origin (Vite preview; the API allows this origin with CORS):
    http://127.0.0.1:$WWW_PORT/
    http://127.0.0.1:$WWW_PORT/dashboard.html?server=http://127.0.0.1:$SANDBOX_PORT

  The extension, unpacked:
    Chrome/Chromium: open chrome://extensions, turn on "Developer mode",
                     "Load unpacked" and choose $(pwd)/extension/dist/chrome
    Firefox:         open about:debugging#/runtime/this-firefox, "Load Temporary Add-on…"
                     and choose $(pwd)/extension/dist/firefox/manifest.json

  Press Ctrl-C to stop.
MSG

# Stop when either server dies, or on Ctrl-C.
wait -n "${pids[@]}" || true
die "a server exited on its own; see tests/.artifacts/demo-*.log"
