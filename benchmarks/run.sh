#!/usr/bin/env bash
# Runs the Phyxius-vs-Pekko benchmarks from benchmarks/target/benchmarks.jar.
#
#   benchmarks/run.sh [loaded] MODE [JMH arguments]
#
#   quick    the suite, 1 fork, 1 x 1 s warm-up + 2 x 1 s measurement (about 1.5 minutes): a smoke run
#   full     the suite, 3 forks, 5 x 2 s warm-up + 5 x 2 s measurement (about 25 minutes)
#   savina   the Savina micro-benchmarks, 3 forks, 5 x 2 s warm-up + 5 x 2 s (about 15 minutes)
#   scaling  Phyxius on 1 and 2 carrier threads; fan-out over 1k, 10k, 100k busy processes;
#            retained heap at 1k, 100k, 1M idle processes (about 12 minutes)
#   loaded   before a mode: the same run with nproc / 2 (at least 1) busy-looping shells beside it,
#            started after the build and killed when the run ends, fails or is interrupted;
#            results are named MODE-loaded.
#
# Extra arguments go to JMH. A benchmark regex among them (an argument that is not an option nor an
# option's value, e.g. `benchmarks/run.sh quick PingPong -p impl=phyxius`) replaces the mode's list
# of classes and skips the retained-heap runs.
#
# Writes, in benchmarks/results: NAME.json (JMH -rf json), NAME-heap.csv (retained heap, quick and
# full), NAME.meta (command, commit, machine, JDK, JMH settings, load average before and after,
# dates), NAME.md (the summary table: median of forks, min-max, ratio, forks below half the median)
# and NAME.png (the plot). NAME is the mode, or MODE-loaded.
set -euo pipefail
cd "$(dirname "$0")/.."

# ------------------------------------------------------------------------------------------------
# Which benchmark classes each mode runs: one line per class, `bench CLASS MODE...`. To put a new
# class into a mode, add (or extend) its line. Modes: quick, full, savina, and carriers (the 1-vs-2
# carrier part of `scaling`, Phyxius only).
SUITE_QUICK=() SUITE_FULL=() SUITE_SAVINA=() SUITE_CARRIERS=()
bench() {
  local class=$1 m
  shift
  for m in "$@"; do
    case "$m" in
      quick) SUITE_QUICK+=("$class") ;;
      full) SUITE_FULL+=("$class") ;;
      savina) SUITE_SAVINA+=("$class") ;;
      carriers) SUITE_CARRIERS+=("$class") ;;
      *) echo "run.sh: unknown mode '$m' for $class" >&2; exit 2 ;;
    esac
  done
}
bench TellOneToOne             quick full carriers
bench TellFourToOne            quick full carriers
bench PingPong                 quick full carriers
bench ThreadRing               quick full carriers
bench AskLatency               quick full
bench FanOut                   quick full carriers
bench SpawnRate                quick full
bench Blocking                 quick full carriers
bench SavinaPingPong           savina
bench SavinaCounting           savina
bench SavinaThreadRing         savina
bench SavinaChameneos          savina
bench SavinaBig                savina
bench SavinaForkJoinThroughput savina
bench SavinaForkJoinCreation   savina
# ------------------------------------------------------------------------------------------------

usage() {
  echo "usage: $0 [loaded] quick|full|savina|scaling [JMH arguments]" >&2
  exit 2
}

loaded=0
if [ "${1:-}" = loaded ]; then
  loaded=1
  shift
fi
mode=${1:-quick}
shift || true
case "$mode" in
  quick) jmh=(-f 1 -wi 1 -w 1s -i 2 -r 1s); classes=("${SUITE_QUICK[@]}"); heap_counts=(100000); heap_runs=1 ;;
  full) jmh=(-f 3 -wi 5 -w 2s -i 5 -r 2s); classes=("${SUITE_FULL[@]}"); heap_counts=(100000 1000000); heap_runs=3 ;;
  savina) jmh=(-f 3 -wi 5 -w 2s -i 5 -r 2s); classes=("${SUITE_SAVINA[@]}"); heap_counts=(); heap_runs=0 ;;
  scaling) jmh=(-f 2 -wi 5 -w 2s -i 3 -r 2s); classes=("${SUITE_CARRIERS[@]}"); heap_counts=(); heap_runs=0 ;;
  *) usage ;;
esac
if [ "$loaded" = 1 ]; then
  name=$mode-loaded
  command_line="benchmarks/run.sh loaded $mode"
else
  name=$mode
  command_line="benchmarks/run.sh $mode"
fi
if [ $# -gt 0 ]; then
  command_line+=$(printf ' %q' "$@")
fi

# A regex among the extra arguments replaces the mode's classes: an argument that does not start
# with '-' and does not follow an option (JMH's options all take a value).
user_regex=0
previous=
for arg in "$@"; do
  if [[ "$arg" != -* && "$previous" != -* ]]; then
    user_regex=1
  fi
  previous=$arg
done
includes=()
if [ "$user_regex" = 0 ]; then
  for class in "${classes[@]}"; do
    includes+=("\\.$class\\.")
  done
fi

. .mvn/jdk.sh
JAVA="$JAVA_HOME/bin/java"
JAR=benchmarks/target/benchmarks.jar
[ -f "$JAR" ] || ./mvnw -B -q -pl benchmarks -am package -DskipTests -Dinvoker.skip=true
RESULTS=benchmarks/results
mkdir -p "$RESULTS"
META="$RESULTS/$name.meta"
pekko_version=$(sed -n 's:.*<pekko.version>\(.*\)</pekko.version>.*:\1:p' pom.xml)

# ---- the load: busy-looping shells, killed by pid whatever way this script ends ----------------
busy=()
stop_load() {
  local pid
  for pid in "${busy[@]+"${busy[@]}"}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${busy[@]+"${busy[@]}"}"; do
    wait "$pid" 2>/dev/null || true
  done
  busy=()
}
# JMH runs in the background of this shell and is waited for, so that a signal to this script
# alone (kill, not only Ctrl-C to the whole terminal group) is handled at once: bash runs traps
# only between commands, and `wait` is one it leaves when a signal arrives.
jmh_pid=
interrupted() {
  [ -z "$jmh_pid" ] || kill "$jmh_pid" 2>/dev/null || true
  exit "$1"
}
run_jmh() {
  "$JAVA" -jar "$JAR" "$@" &
  jmh_pid=$!
  wait "$jmh_pid"
  jmh_pid=
}
trap stop_load EXIT
trap 'interrupted 130' INT
trap 'interrupted 143' TERM

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
now() { date -u +%FT%TZ; }

{
  echo "command: $command_line"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (uncommitted changes)')"
  echo "started: $(now)"
  echo "machine: nproc $(nproc); memory $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo); cpu $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $(uname -sr)"
  echo "jdk: $("$JAVA" -version 2>&1 | sed -n 2p)"
  echo "peer: Apache Pekko typed $pekko_version"
  echo "jmh: ${jmh[*]}${*:+ $*}"
} > "$META"

if [ "$loaded" = 1 ]; then
  loops=$(( $(nproc) / 2 ))
  [ "$loops" -ge 1 ] || loops=1
  for _ in $(seq "$loops"); do
    ( while :; do :; done ) &
    busy+=($!)
  done
  echo "load: $loops busy-looping shells (nproc / 2) beside the run, pids ${busy[*]}" >> "$META"
  sleep 5 # let the load average see them before it is read
else
  echo "load: none added" >> "$META"
fi
echo "load before: $(loadavg)" >> "$META"
cat "$META"

heap() {
  local out=$1 n impl
  echo "impl,processes,bytesPerProcess" > "$out"
  for n in "${heap_counts[@]}"; do
    for impl in phyxius pekko; do
      for _ in $(seq "$heap_runs"); do
        "$JAVA" -Xms4g -Xmx4g -XX:+UseG1GC -cp "$JAR" dev.phyxius.benchmarks.RetainedHeap "$impl" "$n" | tee -a "$out"
      done
    done
  done
}

finish() {
  echo "load after: $(loadavg)" >> "$META"
  echo "finished: $(now)" >> "$META"
  stop_load
}

if [ "$mode" = scaling ]; then
  # -jvmArgsAppend replaces the flags of the classes' @Fork, so they are repeated here.
  for carriers in 1 2; do
    run_jmh "${jmh[@]}" -p impl=phyxius \
      -jvmArgsAppend "-Xms2g -Xmx2g -XX:+UseG1GC -Djdk.virtualThreadScheduler.parallelism=$carriers" \
      -rf json -rff "$RESULTS/$name-carriers-$carriers.json" "${includes[@]+"${includes[@]}"}" "$@"
  done
  run_jmh "${jmh[@]}" -p processes=1000,10000,100000 \
    -rf json -rff "$RESULTS/$name-processes.json" '\.FanOut\.' "$@"
  heap_counts=(1000 100000 1000000) heap_runs=1
  heap "$RESULTS/$name-heap.csv"
  finish
  python3 benchmarks/scaling.py "$RESULTS" "$name" | tee "$RESULTS/$name.md"
  exit 0
fi

run_jmh "${jmh[@]}" -rf json -rff "$RESULTS/$name.json" "${includes[@]+"${includes[@]}"}" "$@"
heap_args=()
if [ "$user_regex" = 0 ] && [ "${#heap_counts[@]}" -gt 0 ]; then
  heap "$RESULTS/$name-heap.csv"
  heap_args=(--heap "$RESULTS/$name-heap.csv")
fi
finish
python3 benchmarks/summary.py --meta "$META" "$RESULTS/$name.json" "${heap_args[@]+"${heap_args[@]}"}" \
  | tee "$RESULTS/$name.md"
title="Phyxius vs Apache Pekko typed $pekko_version (default dispatcher), $name"
[ "$mode" != savina ] || title="Savina micro-benchmarks: Phyxius vs Apache Pekko typed $pekko_version (ms per run), $name"
python3 benchmarks/plot.py "$RESULTS/$name.json" "${heap_args[@]+"${heap_args[@]}"}" --out "$RESULTS/$name.png" \
  --title "$title"
