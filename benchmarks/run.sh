#!/usr/bin/env bash
# Runs the Phyxius-vs-Pekko benchmarks from benchmarks/target/benchmarks.jar.
#   benchmarks/run.sh quick   one fork, 1 warm-up + 2 measurement iterations of 1 s (< 3 minutes)
#   benchmarks/run.sh full    3 forks, 5 warm-up + 5 measurement iterations of 2 s (~21 minutes)
#   benchmarks/run.sh scaling Phyxius on 1 and 2 carrier threads; fan-out over 1k, 10k, 100k
#                             busy processes; retained heap at 1k, 100k, 1M idle (~12 minutes)
# Extra arguments go to JMH (e.g. a benchmark regex: benchmarks/run.sh quick PingPong).
# Writes benchmarks/results/<mode>.json (JMH) and <mode>-heap.csv (retained heap), then the plot.
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
JAVA="$JAVA_HOME/bin/java"
JAR=benchmarks/target/benchmarks.jar
[ -f "$JAR" ] || ./mvnw -B -q -pl benchmarks -am package -DskipTests -Dinvoker.skip=true
mode=${1:-quick}
shift || true
mkdir -p benchmarks/results
case "$mode" in
  quick) jmh=(-f 1 -wi 1 -w 1s -i 2 -r 1s); heap_counts=(100000) ;;
  full)  jmh=(-f 3 -wi 5 -w 2s -i 5 -r 2s); heap_counts=(100000 1000000) ;;
  scaling) ;;
  *) echo "usage: $0 quick|full|scaling [JMH arguments]" >&2; exit 2 ;;
esac
if [ "$mode" = scaling ]; then
  # -jvmArgsAppend replaces the flags of the classes' @Fork, so they are repeated here.
  jmh=(-f 2 -wi 5 -w 2s -i 3 -r 2s)
  echo "# $(date -u +%FT%TZ) $(uptime)" | tee "benchmarks/results/scaling.load"
  for carriers in 1 2; do
    "$JAVA" -jar "$JAR" "${jmh[@]}" -p impl=phyxius \
      -jvmArgsAppend "-Xms2g -Xmx2g -XX:+UseG1GC -Djdk.virtualThreadScheduler.parallelism=$carriers" \
      -rf json -rff "benchmarks/results/scaling-carriers-$carriers.json" \
      'TellOneToOne|TellFourToOne|PingPong|FanOut|Blocking' "$@"
  done
  "$JAVA" -jar "$JAR" "${jmh[@]}" -p processes=1000,10000,100000 \
    -rf json -rff "benchmarks/results/scaling-processes.json" FanOut "$@"
  echo "impl,processes,bytesPerProcess" > "benchmarks/results/scaling-heap.csv"
  for n in 1000 100000 1000000; do
    for impl in phyxius pekko; do
      "$JAVA" -Xms4g -Xmx4g -XX:+UseG1GC -cp "$JAR" dev.phyxius.benchmarks.RetainedHeap "$impl" "$n" \
        | tee -a "benchmarks/results/scaling-heap.csv"
    done
  done
  echo "# $(date -u +%FT%TZ) $(uptime)" | tee -a "benchmarks/results/scaling.load"
  python3 benchmarks/scaling.py benchmarks/results
  exit 0
fi
echo "# $(date -u +%FT%TZ) $(uptime)" | tee "benchmarks/results/$mode.load"
"$JAVA" -jar "$JAR" "${jmh[@]}" -rf json -rff "benchmarks/results/$mode.json" "$@"
if [ $# -eq 0 ]; then
  echo "impl,processes,bytesPerProcess" > "benchmarks/results/$mode-heap.csv"
  for n in "${heap_counts[@]}"; do
    for impl in phyxius pekko; do
      forks=$([ "$mode" = full ] && echo 3 || echo 1)
      for _ in $(seq "$forks"); do
        "$JAVA" -Xms4g -Xmx4g -XX:+UseG1GC -cp "$JAR" dev.phyxius.benchmarks.RetainedHeap "$impl" "$n" \
          | tee -a "benchmarks/results/$mode-heap.csv"
      done
    done
  done
fi
echo "# $(date -u +%FT%TZ) $(uptime)" | tee -a "benchmarks/results/$mode.load"
PY=python3; /usr/bin/python3 -c "import matplotlib" 2>/dev/null && PY=/usr/bin/python3
"$PY" benchmarks/plot.py "benchmarks/results/$mode.json" "benchmarks/results/$mode-heap.csv" \
  "benchmarks/results/$mode.png" || echo "plot skipped (python3-matplotlib missing?)"
