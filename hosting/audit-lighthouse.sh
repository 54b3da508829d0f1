#!/usr/bin/env bash
# Scores the home page, the errors overview and a code page with Lighthouse 12 (mobile
# defaults: emulated phone, simulated slow 4G and CPU), through `make preview`'s server.
# Prints performance, accessibility, best practices and SEO per page, and every audit
# that keeps a category below 100.
#
#   make build && bash hosting/audit-lighthouse.sh [site-dir] [runs]
#   make build && AGENTIC=1 bash hosting/audit-lighthouse.sh [site-dir]
#
# With AGENTIC=1 it runs Lighthouse 13.5's agentic-browsing category instead, once per page
# (its audits are pass/fail): the accessibility tree, layout shift, llms.txt, and ard-schema,
# Lighthouse's copy of the ARD conformance test over /.well-known/ai-catalog.json. It prints
# the category's score and each audit's result.
#
# A maintainer's tool, not a test: Lighthouse is an npm package and its performance figure
# moves between runs on a busy machine, so each page is run `runs` times (default 3) and the
# median is shown. 12.8.2, not 12.2.3: the older one cannot read this Chromium's traces.
# The server listens on 127.0.0.1 only and is stopped by PID on exit.
set -euo pipefail

LIGHTHOUSE_VERSION=12.8.2
AGENTIC=${AGENTIC:-}
[ -n "$AGENTIC" ] && LIGHTHOUSE_VERSION=13.5.0  # the first with the ard-schema audit
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SITE=$(cd "${1:-$ROOT/site}" && pwd)
RUNS=${2:-3}
[ -n "$AGENTIC" ] && RUNS=1
PY=${PY:-$ROOT/.venv/bin/python}
CODE=$("$PY" -c 'import sys, yaml; print(next(iter(yaml.safe_load(open(sys.argv[1]))["codes"])))' "$ROOT/registry.yaml")
WORK=$(mktemp -d)
PID=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

(cd "$WORK" && npm install --silent --no-audit --no-fund "lighthouse@$LIGHTHOUSE_VERSION" >/dev/null 2>&1)
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$ROOT/hooks" && exec "$PY" -m errdocs preview "$SITE" --port "$port") >/dev/null 2>&1 &
PID=$!
for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break; sleep 0.1; done

FLAGS="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run"
agentic() {  # page: the agentic-browsing category's score and each audit's result
  out="$WORK/report.json"
  "$WORK/node_modules/.bin/lighthouse" "http://127.0.0.1:$port$1" --quiet --output=json --output-path="$out" \
    --only-categories=agentic-browsing --chrome-flags="$FLAGS" 2>/dev/null
  node - "$1" "$out" <<'JS'
const fs = require("fs");
const [page, file] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(file, "utf8"));
const category = report.categories["agentic-browsing"];
console.log(`${page}  agentic-browsing ${Math.round(category.score * 100)} (Lighthouse ${report.lighthouseVersion})`);
for (const ref of category.auditRefs) {
  const audit = report.audits[ref.id];
  const result = audit.scoreDisplayMode === "notApplicable" ? "not applicable" : `score ${audit.score}`;
  console.log(`    ${ref.id}: ${result}${ref.weight ? "" : " (weight 0)"}${audit.explanation ? ": " + audit.explanation : ""}`);
}
JS
}

for page in / /errors/overview/ "/errors/$CODE/"; do
  if [ -n "$AGENTIC" ]; then agentic "$page"; continue; fi
  reports=()
  for run in $(seq "$RUNS"); do
    out="$WORK/report-$run.json"
    "$WORK/node_modules/.bin/lighthouse" "http://127.0.0.1:$port$page" --quiet --output=json --output-path="$out" \
      --only-categories=performance,accessibility,best-practices,seo --chrome-flags="$FLAGS" 2>/dev/null
    reports+=("$out")
  done
  node - "$page" "${reports[@]}" <<'EOF'
const fs = require("fs");
const [page, ...files] = process.argv.slice(2);
const reports = files.map((file) => JSON.parse(fs.readFileSync(file, "utf8")));
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ids = ["performance", "accessibility", "best-practices", "seo"];
const scores = ids.map((id) => median(reports.map((r) => Math.round(r.categories[id].score * 100))));
const runs = reports.map((r) => Math.round(r.categories.performance.score * 100)).join("/");
console.log(`${page}  performance ${scores[0]} (runs ${runs})  accessibility ${scores[1]}  best-practices ${scores[2]}  seo ${scores[3]}`);
const last = reports[reports.length - 1];
for (const id of ids.slice(1)) {
  for (const ref of last.categories[id].auditRefs) {
    const audit = last.audits[ref.id];
    if (ref.weight > 0 && audit.score !== null && audit.score < 1) console.log(`    ${id}: ${ref.id}: ${audit.title}`);
  }
}
const metrics = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"];
console.log("    " + metrics.map((m) => `${m} ${last.audits[m].displayValue}`).join(", "));
EOF
done
