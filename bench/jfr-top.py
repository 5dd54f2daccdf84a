#!/usr/bin/env python3
"""Where the CPU goes in a JFR recording: jdk.ExecutionSample stacks, aggregated three ways.

Usage: bench/jfr-top.py <recording.jfr> [top (25)] [thread-name filter]
  self       the top frame of each sample (the method that was running)
  inclusive  package groups (first three name segments) present anywhere in a sample's stack, each counted once
  tether     the innermost dev.tether frame of each sample (the application code that led there), if any
Percentages are of all samples kept. Needs `jfr` (the JDK's) on PATH or in $JAVA_HOME/bin.
"""
import collections, json, os, shutil, subprocess, sys

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
thread_filter = sys.argv[3] if len(sys.argv) > 3 else ""
jfr = shutil.which("jfr") or os.path.join(os.environ.get("JAVA_HOME", ""), "bin", "jfr")
out = subprocess.run([jfr, "print", "--json", "--stack-depth", "128", "--events", "jdk.ExecutionSample", path],
                     check=True, capture_output=True, text=True).stdout
events = json.loads(out)["recording"]["events"]

def cls(frame):
    return frame["method"]["type"]["name"].replace("/", ".")

def name(frame):
    return cls(frame) + "." + frame["method"]["name"]

def group(frame):
    return ".".join(cls(frame).split(".")[:-1][:3])

self_, incl, tether = collections.Counter(), collections.Counter(), collections.Counter()
kept = 0
for e in events:
    v = e["values"]
    thread = (v.get("sampledThread") or {}).get("javaName") or ""
    if thread_filter and thread_filter not in thread:
        continue
    frames = (v.get("stackTrace") or {}).get("frames") or []
    if not frames:
        continue
    kept += 1
    self_[name(frames[0])] += 1
    for g in {group(f) for f in frames}:
        incl[g] += 1
    app = next((f for f in frames if cls(f).startswith("dev.tether.")), None)
    tether[name(app) if app else "(no dev.tether frame)"] += 1

print(f"{kept} samples{' of threads matching ' + repr(thread_filter) if thread_filter else ''} in {path}")
for title, counter in (("self (top frame)", self_), ("inclusive (package group anywhere in the stack)", incl),
                       ("innermost dev.tether frame", tether)):
    print(f"\n{title}:")
    for k, n in counter.most_common(top):
        print(f"  {100.0 * n / max(kept, 1):5.1f}%  {n:6d}  {k}")
