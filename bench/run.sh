#!/usr/bin/env bash
# Runs the benchmark: packages the server, then starts it (in its own JVM) on embedded PostgreSQL and on the
# embedded H2 default, loads data through the FHIR API and measures on loopback. Writes bench/results.md.
# Usage: bench/run.sh [--quick|--profile|--footprint|--remote]  (--quick: shorter scenarios and a 100/1,000-patient
# outcome run; --remote [--server-arg=--a.setting=value]...: the remote scenarios only, printed, no results file)
# Every run also writes its figures as JSON (bench/results.json, or results-quick.json); a full run then regenerates
# the README's benchmark table from that file (bench/readme-table.py), so the two never disagree.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o -DskipTests package
# The start-up comparison runs both servers from the exploded classpath (the plain HAPI one is not packaged).
./mvnw -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
./mvnw -B -q -o -DskipTests test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=org.ntx.bench.Benchmark -Dexec.args="${*:-}"
if [[ " ${*:-} " != *" --quick "* && " ${*:-} " != *" --profile "* && " ${*:-} " != *" --footprint "* && " ${*:-} " != *" --remote "* ]]; then
  python3 bench/readme-table.py bench/results.json README.md
fi
