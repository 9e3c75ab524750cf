#!/usr/bin/env bash
# Runs the JMH comparison of Spantrail with Brave and the OpenTelemetry SDK (tracing-benchmarks),
# with the gc profiler, and prints Spantrail / best-peer ratios in ns/op and B/op.
#
#   bench/jmh.sh                   full run: about 14 minutes on 2 cores
#   bench/jmh.sh --smoke           one short iteration per benchmark: checks they run, numbers are noise
#   bench/jmh.sh 'Propagation'     only the benchmarks whose name matches the regular expression
#   JMH_OPTS='-f 2 -i 10' bench/jmh.sh   other JMH options instead of the defaults
#
# Results: bench/results/jmh-<UTC time>.txt (JMH's log and the ratio table) and .json (JMH's own).
set -euo pipefail
cd "$(dirname "$0")/.."

opts=${JMH_OPTS:-"-f 1 -wi 4 -w 1s -i 5 -r 1s"}
if [[ ${1:-} == --smoke ]]; then
  opts="-f 1 -wi 1 -w 1s -i 1 -r 1s"
  shift
fi

echo "Building tracing-benchmarks..." >&2
./mvnw -B -q ${MVN_FLAGS:-} -pl tracing-benchmarks -am -Pjmh package -DskipTests
classpath="tracing-benchmarks/target/classes:$(cat tracing-benchmarks/target/jmh-classpath.txt)"

mkdir -p bench/results
out=bench/results/jmh-$(date -u +%Y%m%dT%H%M%SZ)
{
  echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(java -version 2>&1 | head -1), JMH options: $opts $*"
  # shellcheck disable=SC2086 # the options are words
  java -cp "$classpath" dev.spantrail.tracing.benchmarks.RatioTable $opts -rf json -rff "$out.json" "$@"
} 2>&1 | tee "$out.txt"
echo "Wrote $out.txt and $out.json" >&2
