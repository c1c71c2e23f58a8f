#!/usr/bin/env python3
"""Hot methods in a Java Flight Recorder file: where the server's CPU samples fall.

Usage: bench/hot-methods.py target/bench-profile.jfr [N]
Prints the N (default 25) methods most often on top of a sampled stack ("self"), and the N methods most often
anywhere in a sampled stack ("total"), each with its share of all samples. Needs the JDK's `jfr` tool on PATH.
"""
import collections
import re
import subprocess
import sys

recording = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", recording],
                      capture_output=True, text=True, check=True).stdout

frame = re.compile(r"^\s+([\w$.<>]+)\(.*\)\s+line:")
self_counts = collections.Counter()
total_counts = collections.Counter()
samples = 0
for event in text.split("jdk.ExecutionSample")[1:]:
    frames = [m.group(1) for m in (frame.match(line) for line in event.splitlines()) if m]
    if not frames:
        continue
    samples += 1
    self_counts[frames[0]] += 1
    for method in set(frames):
        total_counts[method] += 1

print(f"{samples} samples")
for title, counts in (("self", self_counts), ("total", total_counts)):
    print(f"\n-- {title} --")
    for method, count in counts.most_common(top):
        print(f"{100.0 * count / samples:5.1f}%  {method}")
