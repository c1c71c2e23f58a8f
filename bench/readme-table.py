#!/usr/bin/env python3
"""Writes the README's benchmark table from bench/results.json, between the markers
<!-- bench-results:start --> and <!-- bench-results:end -->, so that no figure there disagrees with the results file.
Usage: bench/readme-table.py [results.json] [README.md]   (run by bench/run.sh after a full run)"""
import json
import sys
from pathlib import Path

START, END = "<!-- bench-results:start -->", "<!-- bench-results:end -->"


def number(value, places=1):
    if value is None:
        return ""
    if places == 0 or abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.{places}f}"


def main():
    results_path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results.json")
    readme_path = Path(sys.argv[2] if len(sys.argv) > 2 else "README.md")
    figures = json.loads(results_path.read_text())
    first = figures[0]
    lines = [START,
             f"Latest {'quick' if first.get('quick') else 'full'} run ({first['date']}, {first['machine']}, Java {first['java']}, embedded PostgreSQL"
             + (f"; load average (1, 5, 15 min) {first['loadAverage']}" if first.get('loadAverage') else "") + ";"
             f" generated from `{results_path.as_posix()}` by `bench/readme-table.py`, details in `bench/results{'-quick' if first.get('quick') else ''}.md`):",
             "",
             "| Scenario | req/s | p50 ms | p99 ms | Ratio | Target |",
             "|---|---|---|---|---|---|"]
    notes = []
    for f in figures:
        if f.get("from") == "bench/research.sh":
            continue  # research at scale: its own table in the README ("Measured at scale")
        target = ""
        if f.get("target"):
            target = f"{f['target']}, {'met' if f.get('met') else 'not met'}"
        if f.get("requestsPerSecond") is None:
            if f.get("seconds") is not None:
                extra = f", peak server heap {number(f['peakHeapMb'], 0)} MB" if f.get("peakHeapMb") else ""
                reference = (f" (reference {number(f['referenceSeconds'])} s)"
                             if f.get("referenceSeconds") is not None else "")
                ratio = f"; {number(f['ratio'], 2)}x the {f['ratioTo']}" if f.get("ratio") is not None else ""
                notes.append(f"- {f['scenario']}: {number(f['seconds'])} s{reference}{extra}{ratio}"
                             + (f" (target {target})" if target else ""))
            else:
                notes.append(f"- {f['scenario']}: {'yes' if f.get('met') else 'NO'}")
            continue
        ratio = f"{f['ratio']:.2f}x" if f.get("ratio") is not None else ""
        lines.append(f"| {f['scenario']} | {number(f['requestsPerSecond'])} | {number(f['p50Ms'])} |"
                     f" {number(f['p99Ms'])} | {ratio} | {target} |")
    lines.append("")
    lines.append("Ratios: throughput over the baseline's (`GET Patient/{id}`, or unvalidated ingest for ingest rows);"
                 " for the rows through the link, the median over that of one read through the same link.")
    lines.append("")
    lines.extend(notes)
    lines.append(END)
    readme = readme_path.read_text()
    if START not in readme or END not in readme:
        sys.exit(f"{readme_path}: markers {START} / {END} not found")
    before, rest = readme.split(START, 1)
    _, after = rest.split(END, 1)
    readme_path.write_text(before + "\n".join(lines) + after)
    print(f"{readme_path}: benchmark table written from {results_path}")


if __name__ == "__main__":
    main()
