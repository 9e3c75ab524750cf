#!/usr/bin/env bash
# Startup time and resident memory of the bench/http app (Spring Boot 4.1 MVC) without tracing,
# with the Spantrail starter, with Micrometer Tracing on Brave, and with the OpenTelemetry Spring
# Boot starter: the apps and span endpoints of bench/http-overhead.sh.
#
# Each round starts each variant alone (in a different order each round) and measures the time
# from launching the JVM to the first answered GET /hello (polled every 20 ms), then loads /hello
# and /hop with wrk for WARMUP and reads the process's resident memory (VmRSS) and the JVM's
# heap in use. Prints the medians per variant and the difference to the untraced app. The CPU time
# the JVM used up to the first answer (all its threads) is printed beside the wall time: a shared
# machine's other work stretches the wall time, far less the CPU time.
#
#   bench/startup-memory.sh                      3 rounds: about 3 minutes
#   ROUNDS=5 WARMUP=20s bench/startup-memory.sh
#   ROUNDS=1 WARMUP=3s bench/startup-memory.sh   a smoke run: checks it works, numbers are noise
#   VARIANTS="untraced spantrail" bench/startup-memory.sh
#   SKIP_BUILD=1 bench/startup-memory.sh         reuses the apps bench/http-overhead.sh built
#
# Everything listens on 127.0.0.1; everything it starts is stopped by PID when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh # pick_port, median

ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-10s}
JVM_OPTS=${JVM_OPTS:-"-Xms512m -Xmx512m"}
read -r -a VARIANTS <<<"${VARIANTS:-untraced spantrail micrometer-brave otel-starter}"

if ! command -v wrk >/dev/null; then
  echo "Installing wrk from the Debian packages..." >&2
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk >/dev/null
fi
for tool in curl ss jcmd; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done

if [[ -z ${SKIP_BUILD:-} ]]; then
  echo "Building the apps (bench/http)..." >&2
  ./mvnw -B -q ${MVN_FLAGS:-} -f bench/http/pom.xml clean package -DskipTests # clean: else an app jar can keep an older starter
fi

work=$(mktemp -d /tmp/startup-memory.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# The traced variants report to a span endpoint that discards, as in bench/http-overhead.sh.
pick_port; sink=$port
java -Xmx128m bench/SpanSink.java "$sink" >"$work/sink.log" 2>&1 &
sink_pid=$!
pids+=("$sink_pid")
until curl -sf -o /dev/null "http://127.0.0.1:$sink/count"; do sleep 0.2; done

now_ms() { echo $(($(date +%s%N) / 1000000)); }

run() { # variant round -> "startup_ms rss_mb heap_mb cpu_ms"
  local v=$1 jar=$1 args
  pick_port
  local app=$port
  args=(--server.port="$app")
  case $v in
    spantrail)
      args+=(--spantrail.sampler.probability=1.0
        --spantrail.zipkin.endpoint="http://127.0.0.1:$sink/api/v2/spans") ;;
    micrometer-brave)
      args+=(--management.tracing.sampling.probability=1.0
        --management.tracing.export.zipkin.endpoint="http://127.0.0.1:$sink/api/v2/spans") ;;
    otel-starter)
      args+=(--otel.traces.sampler=always_on --otel.metrics.exporter=none --otel.logs.exporter=none
        --otel.exporter.otlp.traces.endpoint="http://127.0.0.1:$sink/v1/traces") ;;
  esac
  local start pid startup
  start=$(now_ms)
  # shellcheck disable=SC2086 # JVM_OPTS are words
  java $JVM_OPTS -jar "bench/http/$jar/target/app.jar" "${args[@]}" >"$work/$v-$2.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$app/hello"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$v exited:" >&2; tail -30 "$work/$v-$2.log" >&2; return 1
    fi
    if (($(now_ms) - start > 180000)); then echo "$v: no answer after 180 s" >&2; return 1; fi
    sleep 0.02
  done
  startup=$(($(now_ms) - start))
  local cpu
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.0f", ($14 + $15) * 1000 / hz}' "/proc/$pid/stat")
  wrk -t1 -c16 -d"$WARMUP" "http://127.0.0.1:$app/hello" >/dev/null
  wrk -t1 -c16 -d"$WARMUP" "http://127.0.0.1:$app/hop" >/dev/null
  sleep 1
  local rss heap
  rss=$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")
  # Heap in use (young and old, after the load, no GC forced), from the JVM itself.
  heap=$(jcmd "$pid" GC.heap_info 2>/dev/null | awk '/used/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub(/K,?/, "", v); total += v; break}} END {printf "%.1f", total / 1024}')
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$startup $rss $heap $cpu"
}

results="$work/results.txt"
for ((r = 0; r < ROUNDS; r++)); do
  for ((i = 0; i < ${#VARIANTS[@]}; i++)); do
    v=${VARIANTS[$(((i + r) % ${#VARIANTS[@]}))]} # a different order each round
    read -r startup rss heap cpu <<<"$(run "$v" "$r")"
    echo "round $((r + 1)) $v: first answer after $startup ms ($cpu ms CPU), RSS $rss MB, heap used $heap MB" >&2
    echo "$v $startup $rss $heap $cpu $r" >>"$results"
  done
done

col() { awk -v v="$1" -v c="$2" '$1 == v {print $c}' "$results" | median; }
# The median over rounds of the variant's value divided by untraced's in the same round: the
# machine's speed drifts by more than the target between rounds, and a round's two starts are
# neighbours in time.
paired() {
  awk -v v="$1" -v c="$2" '$1 == "untraced" {b[$6] = $c} $1 == v {x[$6] = $c}
    END {for (r in x) if (b[r] > 0) printf "%.4f\n", x[r] / b[r]}' "$results" | median
}

echo
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1); JVM options: $JVM_OPTS; $ROUNDS rounds, wrk $WARMUP on /hello then /hop before the memory is read"
echo
echo "| variant | median ms to first answer | vs untraced | median of the rounds' ratios | median CPU ms to first answer | vs untraced | median of the rounds' ratios | median RSS MB after warm-up | vs untraced MB | median heap used MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
base_startup=$(col untraced 2)
base_cpu=$(col untraced 5)
base_rss=$(col untraced 3)
for v in "${VARIANTS[@]}"; do
  startup=$(col "$v" 2) rss=$(col "$v" 3) heap=$(col "$v" 4) cpu=$(col "$v" 5)
  ps=$(paired "$v" 2) pc=$(paired "$v" 5)
  awk -v v="$v" -v s="$startup" -v bs="$base_startup" -v ps="$ps" -v c="$cpu" -v bc="$base_cpu" -v pc="$pc" -v m="$rss" -v bm="$base_rss" -v h="$heap" \
    'BEGIN {printf "| %s | %.0f | %.3f | %.3f | %.0f | %.3f | %.3f | %.1f | %+.1f | %.1f |\n", v, s, s / bs, ps, c, c / bc, pc, m, m - bm, h}'
done
echo
echo "(targets: Spantrail adds at most 5% to the time to the first answer and 16 MB to resident memory)"
echo "Logs: $work" >&2
