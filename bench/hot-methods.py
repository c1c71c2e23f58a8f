#!/usr/bin/env python3
"""Hot methods in a Java Flight Recorder file: where the server's CPU samples fall.

Usage: bench/hot-methods.py target/bench-profile.jfr [N] [--only FRAME]... [--within FRAME]

Prints the N (default 25) methods most often on top of a sampled stack ("self"), and the N methods most often
anywhere in a sampled stack ("total"), each with its share of the samples counted. Needs the JDK's `jfr` tool on PATH.

  --only FRAME    count only samples with a frame containing FRAME (repeatable: all must match). Selects one
                  scenario of the --profile run, e.g. --only CdsHooksController (CDS calls) or
                  --only TransactionProcessor (transaction ingest).
  --within FRAME  of the samples counted, report how many also contain FRAME, and the hot methods among those;
                  e.g. --only TransactionProcessor --within ReusedInstanceValidators gives validation's share of
                  ingest, and what validation's time is spent on.
"""
import argparse
import collections
import re
import subprocess

arguments = argparse.ArgumentParser()
arguments.add_argument("recording")
arguments.add_argument("top", nargs="?", type=int, default=25)
arguments.add_argument("--only", action="append", default=[])
arguments.add_argument("--within")
options = arguments.parse_args()

text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "200", options.recording],
                      capture_output=True, text=True, check=True).stdout

frame = re.compile(r"^\s+([\w$.<>]+)\(.*\)\s+line:")
self_counts = collections.Counter()
total_counts = collections.Counter()
selected = 0
samples = 0
for event in text.split("jdk.ExecutionSample")[1:]:
    frames = [m.group(1) for m in (frame.match(line) for line in event.splitlines()) if m]
    if not frames or not all(any(wanted in f for f in frames) for wanted in options.only):
        continue
    selected += 1
    if options.within and not any(options.within in f for f in frames):
        continue
    samples += 1
    self_counts[frames[0]] += 1
    for method in set(frames):
        total_counts[method] += 1

if options.within:
    share = 100.0 * samples / selected if selected else 0.0
    print(f"{samples} of {selected} samples ({share:.1f}%) contain {options.within}; shares below are of those")
else:
    print(f"{samples} samples")
for title, counts in (("self", self_counts), ("total", total_counts)):
    print(f"\n-- {title} --")
    for method, count in counts.most_common(options.top):
        print(f"{100.0 * count / samples:5.1f}%  {method}")
