#!/usr/bin/env bash
# Research at scale (issue 19, item 5): the Spark job alone on exports of 10,000 and 100,000 synthetic patients, and
# the whole path through a fresh server (load through the FHIR API, $export, the job, $naltrexone-outcomes and
# $naltrexone-survival) at 10,000 (`--server 100000`, about 70 minutes, is the 100,000 run). Appends to
# bench/research-at-scale.json; see README "Research at scale".
# Usage: bench/research.sh [--job N | --server N]...   (default: --job 10000 --job 100000 --server 10000)
# Environment: RESEARCH_JOB_HEAP (the job's heap, default -Xmx3g), RESEARCH_SERVER_HEAP (the server's heap in --server
# runs, default -Xmx4g), RESEARCH_SKIP_BUILD=1 (reuse the built jars).
set -euo pipefail
cd "$(dirname "$0")/.."
args="${*:---job 10000 --job 100000 --server 10000}"
if [[ -z "${RESEARCH_SKIP_BUILD:-}" ]]; then   # set it to reuse the jars of a previous run
  ./mvnw -B -q -o -DskipTests -Dntx.analytics.skip=true package
  analytics/build -o -q -DskipTests package
fi
./mvnw -B -q -o -DskipTests -Dntx.analytics.skip=true test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=org.ntx.bench.ResearchAtScale -Dexec.args="$args"
