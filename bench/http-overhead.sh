#!/usr/bin/env bash
# HTTP overhead of tracing at 100% sampling: the same Spring Boot 4.1 MVC app (bench/http) without
# tracing, with the Spantrail starter, with Spring Boot's Micrometer Tracing on Brave and its
# Zipkin reporter, and with the OpenTelemetry Spring Boot starter (OTLP over HTTP). Every traced
# variant reports to its own local endpoint (bench/SpanSink.java), which discards spans and counts
# them.
#
# Loads GET /hello and GET /hop (which calls /hello through RestTemplate) with wrk, alternating the
# variants over ROUNDS rounds after a warm-up, and prints per variant the median req/s, the median
# p99 latency, the ratio to the untraced variant, the CPU time each request cost the app and the
# span sink, and spans delivered against spans expected.
#
# FORKS (default 1) repeats the whole run, warm-up included, in fresh JVMs. A JVM keeps its JIT's
# decisions for life, so rounds within one JVM share its luck; fresh JVMs sample it. Medians are
# then over every round of every fork.
#
#   bench/http-overhead.sh                     3 rounds of 10 s per measurement: about 9 minutes
#   ROUNDS=5 DURATION=15s bench/http-overhead.sh
#   FORKS=3 ROUNDS=1 bench/http-overhead.sh   every app started three times, one round each
#   ROUNDS=1 DURATION=3s WARMUP=3s WARMUP_HOP=3s bench/http-overhead.sh   a smoke run: checks it works, numbers are noise
#   VARIANTS="untraced spantrail-unreported spantrail" bench/http-overhead.sh   tracing without reporting
#   VARIANTS="untraced spantrail micrometer-brave otel-starter" bench/http-overhead.sh   all three side by side
#   VARIANTS="untraced spantrail spantrail-norecent" bench/http-overhead.sh   what the recent-spans ring costs
#   VARIANTS="untraced-webflux spantrail-webflux spantrail-webflux-limited" bench/http-overhead.sh
#       the same on WebFlux (Reactor Netty, WebClient); -limited: without Reactor's automatic
#       context propagation (spring.reactor.context-propagation=limited)
#
# Everything listens on 127.0.0.1; everything it starts is stopped by PID when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh # pick_port, median

ROUNDS=${ROUNDS:-3}
FORKS=${FORKS:-1}
DURATION=${DURATION:-10s}
# /hello on WebFlux kept the JIT busy for about 30 s (PrintCompilation, fresh JVM, 10 s wrk windows:
# 5,736, 817, 100, 27 compilations; CPU per request 451, 105, 47, 40 us), MVC for about 20 s: a
# 10 s warm-up measured WebFlux while it was still compiling.
WARMUP=${WARMUP:-30s}
# /hop runs far more code than /hello (the RestTemplate and its JDK HttpClient, a second request):
# under load on a busy machine the JIT kept compiling for about 45 s of it (PrintCompilation, the
# compiler threads' CPU in 10 s windows: 389, 362, 405, 417, 43, 4 ticks), so a shorter warm-up measured the
# compiler, not the request.
WARMUP_HOP=${WARMUP_HOP:-60s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-1}
JVM_OPTS=${JVM_OPTS:-"-Xms512m -Xmx512m"}
# spantrail-unreported (the Spantrail app with spantrail.zipkin.enabled=false: spans made, none
# sent) can be added to tell the cost of tracing from the cost of reporting every span.
read -r -a VARIANTS <<<"${VARIANTS:-untraced spantrail micrometer-brave}"
ENDPOINTS=(hello hop)

if ! command -v wrk >/dev/null; then
  echo "Installing wrk from the Debian packages..." >&2
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk >/dev/null
fi

echo "Building the apps (bench/http)..." >&2
./mvnw -B -q ${MVN_FLAGS:-} -f bench/http/pom.xml clean package -DskipTests # clean: else an app jar can keep an older starter

work=$(mktemp -d /tmp/http-overhead.XXXXXX)
declare -A app_pid app_port sink_port
pids=()

cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

await_ok() { # url, seconds
  local deadline=$((SECONDS + $2))
  until curl -sf -o /dev/null "$1"; do
    if ((SECONDS > deadline)); then
      echo "no answer from $1 after $2 s" >&2
      return 1
    fi
    sleep 0.5
  done
}

# One span endpoint per traced variant, so that each one's spans are counted apart.
pick_port; sink_port[spantrail]=$port
pick_port; sink_port[spantrail-norecent]=$port
pick_port; sink_port[micrometer-brave]=$port
pick_port; sink_port[otel-starter]=$port
pick_port; sink_port[spantrail-webflux]=$port
pick_port; sink_port[spantrail-webflux-limited]=$port
java -Xmx128m bench/SpanSink.java "${sink_port[spantrail]}" "${sink_port[spantrail-norecent]}" \
  "${sink_port[micrometer-brave]}" "${sink_port[otel-starter]}" \
  "${sink_port[spantrail-webflux]}" "${sink_port[spantrail-webflux-limited]}" >"$work/sink.log" 2>&1 &
sink_pid=$!
pids+=("$sink_pid")
await_ok "http://127.0.0.1:${sink_port[spantrail]}/count" 60

start_apps() { # fork: every variant in a fresh JVM, on fresh ports
for v in "${VARIANTS[@]}"; do
  pick_port; app_port[$v]=$port
  args=(--server.port="${app_port[$v]}")
  jar=$v
  case $v in
    spantrail-unreported)
      jar=spantrail
      args+=(--spantrail.sampler.probability=1.0 --spantrail.zipkin.enabled=false) ;;
    spantrail | spantrail-webflux)
      args+=(--spantrail.sampler.probability=1.0
        --spantrail.zipkin.endpoint="http://127.0.0.1:${sink_port[$v]}/api/v2/spans") ;;
    spantrail-webflux-limited) # what Reactor's automatic context propagation costs
      jar=spantrail-webflux
      args+=(--spantrail.sampler.probability=1.0 --spring.reactor.context-propagation=limited
        --spantrail.zipkin.endpoint="http://127.0.0.1:${sink_port[$v]}/api/v2/spans") ;;
    spantrail-norecent) # what the recent-spans ring (the traces endpoint's) costs
      jar=spantrail
      args+=(--spantrail.sampler.probability=1.0 --spantrail.recent.enabled=false
        --spantrail.zipkin.endpoint="http://127.0.0.1:${sink_port[$v]}/api/v2/spans") ;;
    micrometer-brave)
      args+=(--management.tracing.sampling.probability=1.0
        --management.tracing.export.zipkin.endpoint="http://127.0.0.1:${sink_port[$v]}/api/v2/spans") ;;
    otel-starter) # traces only, as the others: no metrics or logs exported
      args+=(--otel.traces.sampler=always_on --otel.metrics.exporter=none --otel.logs.exporter=none
        --otel.exporter.otlp.traces.endpoint="http://127.0.0.1:${sink_port[$v]}/v1/traces") ;;
  esac
  # shellcheck disable=SC2086 # JVM_OPTS are words
  java $JVM_OPTS -jar "bench/http/$jar/target/app.jar" "${args[@]}" >"$work/$v-$1.log" 2>&1 &
  app_pid[$v]=$!
  pids+=("${app_pid[$v]}")
done
for v in "${VARIANTS[@]}"; do
  await_ok "http://127.0.0.1:${app_port[$v]}/hello" 180 || { tail -30 "$work/$v-$1.log" >&2; exit 1; }
done
}

to_ms() { # wrk latency such as 850.00us, 2.34ms, 1.20s
  awk -v t="$1" 'BEGIN {
    v = t + 0
    if (t ~ /us$/) v /= 1000; else if (t ~ /ms$/) v = v; else if (t ~ /m$/) v *= 60000; else if (t ~ /s$/) v *= 1000
    printf "%.2f", v }'
}

stats() { # variant endpoint -> "served allocated": the endpoint's count, bytes allocated by the app
  curl -sf "http://127.0.0.1:${app_port[$1]}/stats" |
    awk -v e="$2" '{for (i = 1; i <= NF; i++) {split($i, kv, "="); v[kv[1]] = kv[2]}; print v[e], v["allocated"]}'
}

cpu_ticks() { # pid -> user + system clock ticks of the process, all its threads
  awk '{print $14 + $15}' "/proc/$1/stat"
}

measure() { # variant endpoint duration -> "req/s p99ms bytes/request errors app-us/request sink-us/request"
  local out="$work/wrk-$1-$2-$(date +%s%N).txt"
  local served0 allocated0 served1 allocated1 app0 app1 sink0 sink1
  read -r served0 allocated0 <<<"$(stats "$1" "$2")"
  app0=$(cpu_ticks "${app_pid[$1]}") sink0=$(cpu_ticks "$sink_pid")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --latency "http://127.0.0.1:${app_port[$1]}/$2" >"$out"
  sleep 1.5 # the reporter's last message of the window: its encoding and the sink's decoding count
  app1=$(cpu_ticks "${app_pid[$1]}") sink1=$(cpu_ticks "$sink_pid")
  read -r served1 allocated1 <<<"$(stats "$1" "$2")"
  local rps p99 bytes errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
  bytes=$(awk -v a="$((allocated1 - allocated0))" -v n="$((served1 - served0))" 'BEGIN {printf "%.0f", (n > 0 ? a / n : 0)}')
  errors=$(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' "$out" | tr ' ' '_')
  local hz n
  hz=$(getconf CLK_TCK) n=$((served1 - served0))
  awk -v r="$rps" -v p="$p99" -v b="$bytes" -v e="${errors:-none}" -v a=$((app1 - app0)) -v s=$((sink1 - sink0)) -v n="$n" -v hz="$hz" \
    'BEGIN {printf "%s %s %s %s %.2f %.2f\n", r, p, b, e, a * 1e6 / hz / n, s * 1e6 / hz / n}'
}

run_fork() { # fork: warm up, measure ROUNDS rounds, stop the apps and count what they served
echo "Fork $1 of $FORKS: warm-up per variant, $WARMUP on /hello and $WARMUP_HOP on /hop..." >&2
for v in "${VARIANTS[@]}"; do
  for e in "${ENDPOINTS[@]}"; do
    if [[ $e == hop ]]; then measure "$v" "$e" "$WARMUP_HOP"; else measure "$v" "$e" "$WARMUP"; fi >/dev/null
  done
done

for ((r = 0; r < ROUNDS; r++)); do
  for e in "${ENDPOINTS[@]}"; do
    for ((i = 0; i < ${#VARIANTS[@]}; i++)); do
      v=${VARIANTS[$(((i + r) % ${#VARIANTS[@]}))]} # a different order each round
      sleep 2 # let the previous variant's reporter drain
      read -r rps p99 bytes errors app_us sink_us <<<"$(measure "$v" "$e" "$DURATION")"
      echo "fork $1 round $((r + 1)) $e $v: $rps req/s, p99 $p99 ms, $bytes B/request, CPU $app_us us/request (sink $sink_us), errors: $errors" >&2
      echo "$v $e $rps $p99 $bytes $app_us $sink_us" >>"$results"
    done
  done
done

# Every span still queued reaches its endpoint within a reporter's message timeout (1 s for the
# Zipkin reporters; OpenTelemetry's batch processor exports at least every 5 s).
for v in "${reporting[@]}"; do
  last=-1 stable=0
  for _ in $(seq 60); do
    now=$(count "$v")
    if [[ $now == "$last" ]]; then stable=$((stable + 1)); else stable=0; fi
    ((stable >= 7)) && break
    last=$now
    sleep 1
  done
done

# Stop the apps (graceful: each prints what it served) and read what they served.
for v in "${VARIANTS[@]}"; do
  kill "${app_pid[$v]}"
  wait "${app_pid[$v]}" 2>/dev/null || true
done
for v in "${reporting[@]}"; do
  served=$(grep -o 'served hello=[0-9]* hop=[0-9]* stats=[0-9]*' "$work/$v-$1.log" | tail -1)
  hello=$(sed 's/.*hello=\([0-9]*\).*/\1/' <<<"$served")
  hop=$(sed 's/.*hop=\([0-9]*\).*/\1/' <<<"$served")
  nstats=$(sed 's/.*stats=\([0-9]*\).*/\1/' <<<"$served")
  # /hello and /stats: a server span; /hop: a server and a client span (its /hello counted above)
  expected[$v]=$((${expected[$v]:-0} + hello + 2 * hop + nstats))
  # Spantrail's reporter prints its own drop count (queue full, failed send): tells a span it
  # dropped from one lost after it
  drops=$(grep -o 'reporter reported=[0-9]* sent=[0-9]* dropped=[0-9]*' "$work/$v-$1.log" | tail -1 | sed 's/.*dropped=//' || true) # none: another tracer, or no reporter
  if [[ -n $drops ]]; then dropped[$v]=$((${dropped[$v]:-0} + drops)); fi # not a failing && as the loop's last command: set -e
done
}

count() { curl -sf "http://127.0.0.1:${sink_port[$1]}/count"; }
reporting=()
for v in "${VARIANTS[@]}"; do
  [[ -n ${sink_port[$v]:-} ]] && reporting+=("$v")
done
declare -A expected delivered dropped
results="$work/results.txt"
for ((f = 1; f <= FORKS; f++)); do
  start_apps "$f"
  run_fork "$f"
done
for v in "${reporting[@]}"; do
  delivered[$v]=$(count "$v")
done

echo
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1); wrk -t$THREADS -c$CONNECTIONS, $FORKS fork(s) of $ROUNDS rounds of $DURATION after a warm-up of $WARMUP (/hello) and $WARMUP_HOP (/hop)"
echo
echo "| variant | endpoint | median req/s | median p99 ms | throughput vs untraced (same server stack) | median B/request | median app CPU us/request | app CPU vs untraced | median sink CPU us/request | spans delivered / expected |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for e in "${ENDPOINTS[@]}"; do
  for v in "${VARIANTS[@]}"; do
    # Each server stack against its own untraced app: MVC variants against untraced, WebFlux
    # ones against untraced-webflux.
    untraced=untraced
    [[ $v == *-webflux* ]] && untraced=untraced-webflux
    base=$(awk -v u="$untraced" -v e="$e" '$1 == u && $2 == e {print $3}' "$results" | median)
    rps=$(awk -v v="$v" -v e="$e" '$1 == v && $2 == e {print $3}' "$results" | median)
    p99=$(awk -v v="$v" -v e="$e" '$1 == v && $2 == e {print $4}' "$results" | median)
    bytes=$(awk -v v="$v" -v e="$e" '$1 == v && $2 == e {print $5}' "$results" | median)
    ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN {printf "%.3f", a / b}')
    base_cpu=$(awk -v u="$untraced" -v e="$e" '$1 == u && $2 == e {print $6}' "$results" | median)
    cpu=$(awk -v v="$v" -v e="$e" '$1 == v && $2 == e {print $6}' "$results" | median)
    sink_cpu=$(awk -v v="$v" -v e="$e" '$1 == v && $2 == e {print $7}' "$results" | median)
    cpu_ratio=$(awk -v a="$cpu" -v b="$base_cpu" 'BEGIN {printf "%.3f", a / b}')
    spans="-"
    [[ -n ${expected[$v]:-} ]] && spans="${delivered[$v]} / ${expected[$v]}"
    [[ -n ${dropped[$v]:-} ]] && spans+=" (reporter dropped ${dropped[$v]})"
    printf "| %s | /%s | %.0f | %.2f | %s | %.0f | %.1f | %s | %.1f | %s |\n" "$v" "$e" "$rps" "$p99" "$ratio" "$bytes" "$cpu" "$cpu_ratio" "$sink_cpu" "$spans"
  done
done
echo
echo "(CPU: user + system time of the app's process, all its threads, GC and JIT included, and of the sink, over each window and the 1.5 s after it, per request served in it)"
echo "(spans: over the whole run, warm-up included; "reporter dropped": the spans Spantrail's reporter counted as dropped; targets: Spantrail >= 0.95 of untraced on /hello (0.97 for spantrail-unreported), >= 0.97 on /hop, every span delivered)"
echo "Logs: $work" >&2
