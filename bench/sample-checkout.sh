#!/usr/bin/env bash
# The cost of tracing on the real sample: the demo's checkout flow (gateway -> orders -> inventory
# over HTTP, orders -> inventory over Kafka, H2 through JDBC) run twice side by side, traced by the
# starter and with spantrail.enabled=false, against a real Zipkin server and a real Kafka broker.
#
# Loads GET /checkout on each copy's gateway with wrk, alternating the copies over ROUNDS rounds
# after a warm-up, and prints per copy the median req/s, the median p99 latency, both as ratios to
# the untraced copy, and the spans Zipkin received against the spans the served checkouts made.
#
#   bench/sample-checkout.sh                          5 rounds of 20 s per copy: about 12 minutes
#   ROUNDS=1 DURATION=5s WARMUP=5s bench/sample-checkout.sh   a smoke run: numbers are noise
#
# Everything listens on 127.0.0.1; everything it starts is stopped by PID when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh # pick_port, median

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-20s}
# Six services' JVMs, Kafka and Zipkin share two cores, and every hop runs HTTP client code, which
# kept the JIT busy for about 45 s of bench/http-overhead.sh's /hop alone: after 60 s of warm-up
# (2026-12-03 18:07) the untraced copy still went from 421 to 611 to 861 req/s over three rounds.
WARMUP=${WARMUP:-120s}
CONNECTIONS=${CONNECTIONS:-8}
JVM_OPTS=${JVM_OPTS:-"-Xmx256m"}
COPIES=(untraced traced)
SERVICES=(inventory orders gateway)
SPANS_PER_CHECKOUT=11 # the demo's trace: see README "What a trace looks like"
SPANS_PER_RESTOCK=2   # the scheduled job's root span and its UPDATE

command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)" >&2; exit 1; }

echo "Building the sample (sample-app), the Zipkin server and Kafka's classpath..." >&2
./mvnw -B -q ${MVN_FLAGS:-} -DskipTests -pl sample-app -am package
zipkin_jar=sample-app/target/zipkin/zipkin-server.jar
[[ -s $zipkin_jar ]] || ./mvnw -B -q ${MVN_FLAGS:-} -pl sample-app dependency:copy@zipkin-server
work=$(mktemp -d /tmp/sample-checkout.XXXXXX)
./mvnw -B -q ${MVN_FLAGS:-} -f sample-app/kafka-broker/pom.xml dependency:build-classpath \
  "-Dmdep.outputFile=$work/kafka.classpath"

pids=()
cleanup() { # newest first: the services flush to Zipkin, which goes last
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
}
trap cleanup EXIT

await() { # description, seconds, command...
  local what=$1 timeout=$2 deadline=$((SECONDS + $2))
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "bench: no $what after $timeout s (logs: $work)" >&2; exit 1; }
    sleep 0.5
  done
}

pick_port; zipkin_port=$port
# Zipkin's in-memory storage keeps 500,000 spans by default, more than 512 MB of heap holds: a
# 2026-12-03 run ran it out of memory and its slow answers cost a third of the spans. The count
# read here is the collector's, which is not bounded by what the storage keeps.
QUERY_PORT=$zipkin_port STORAGE_TYPE=mem MEM_MAX_SPANS=100000 java -Xmx512m -jar "$zipkin_jar" \
  "--armeria.ports[0].port=$zipkin_port" "--armeria.ports[0].ip=127.0.0.1" \
  "--armeria.ports[0].protocols[0]=http" >"$work/zipkin.log" 2>&1 &
pids+=("$!")

# The demo's broker: one KRaft node, Kafka's own main class (see demo.sh).
pick_port; kafka_port=$port
pick_port; controller_port=$port
cat >"$work/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$work/kafka-data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPERTIES
# An array, not a function: a function run in the background is a subshell, and stopping the
# subshell's PID would leave the broker running.
KAFKA_JAVA=(java -Xmx512m -cp "$(<"$work/kafka.classpath")" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c 1-21)A
"${KAFKA_JAVA[@]}" kafka.tools.StorageTool format --standalone -t "$cluster_id" \
  -c "$work/server.properties" >"$work/kafka-format.log" 2>&1
"${KAFKA_JAVA[@]}" kafka.Kafka "$work/server.properties" >"$work/kafka.log" 2>&1 &
pids+=("$!")
kafka_pid=${pids[-1]}
# Fail fast when the broker dies (a port taken meanwhile, say), not after the consumers' wait.
await "Kafka" 120 bash -c "kill -0 $kafka_pid || exit 0; exec 3<>/dev/tcp/127.0.0.1/$kafka_port"
kill -0 "$kafka_pid" 2>/dev/null || { echo "bench: Kafka exited (log: $work/kafka.log)" >&2; exit 1; }

# Two copies of the shop, each with its own topic; the untraced one with the master switch off.
declare -A port
for c in "${COPIES[@]}"; do
  for s in "${SERVICES[@]}"; do pick_port; port[$c-$s]=$port; done
done
for c in "${COPIES[@]}"; do
  for s in "${SERVICES[@]}"; do
    args=(--spring.profiles.active="$s" --server.port="${port[$c-$s]}"
      --sample.orders-url="http://127.0.0.1:${port[$c-orders]}"
      --sample.inventory-url="http://127.0.0.1:${port[$c-inventory]}"
      --sample.orders-topic="orders-$c"
      --spring.kafka.bootstrap-servers="127.0.0.1:$kafka_port"
      --spantrail.zipkin.endpoint="http://127.0.0.1:$zipkin_port/api/v2/spans"
      --logging.level.root=WARN --logging.level.dev.spantrail.sample.inventory.Restocker=INFO
      --logging.level.org.springframework.kafka.listener=INFO)
    [[ $c == untraced ]] && args+=(--spantrail.enabled=false)
    # shellcheck disable=SC2086 # JVM_OPTS are words
    java $JVM_OPTS -jar sample-app/target/sample-app.jar "${args[@]}" >"$work/$c-$s.log" 2>&1 &
    pids+=("$!")
  done
done

await "Zipkin" 600 curl -sf "http://127.0.0.1:$zipkin_port/health"
for c in "${COPIES[@]}"; do
  for s in "${SERVICES[@]}"; do
    await "$c $s" 600 bash -c "exec 3<>/dev/tcp/127.0.0.1/${port[$c-$s]}"
  done
  await "$c inventory's partition" 300 grep -qF "partitions assigned: [orders-$c-0]" "$work/$c-inventory.log"
done

to_ms() { # wrk latency such as 850.00us, 2.34ms, 1.20s
  awk -v t="$1" 'BEGIN {
    v = t + 0
    if (t ~ /us$/) v /= 1000; else if (t ~ /ms$/) v = v; else if (t ~ /m$/) v *= 60000; else if (t ~ /s$/) v *= 1000
    printf "%.2f", v }'
}

measure() { # copy duration -> "req/s p99ms"; adds the checkouts answered to $work/served-<copy>
  local out="$work/wrk-$1-$(date +%s%N).txt"
  wrk -t1 -c"$CONNECTIONS" -d"$2" --timeout 30s --latency \
    "http://127.0.0.1:${port[$1-gateway]}/checkout?user=bench&item=book" >"$out"
  if grep -q 'Non-2xx\|Socket errors' "$out"; then
    echo "bench: errors while loading $1: $(grep 'Non-2xx\|Socket errors' "$out")" >&2
  fi
  awk '/requests in/ {print $1}' "$out" >>"$work/served-$1" # a file: callers run this in $(...)
  echo "$(awk '/^Requests\/sec:/ {print $2}' "$out") $(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
}

echo "Warm-up: $WARMUP per copy..." >&2
for c in "${COPIES[@]}"; do measure "$c" "$WARMUP" >/dev/null; done

results="$work/results.txt"
for ((r = 0; r < ROUNDS; r++)); do
  for ((i = 0; i < ${#COPIES[@]}; i++)); do
    c=${COPIES[$(((i + r) % ${#COPIES[@]}))]} # a different order each round
    sleep 2                                    # let the other copy's reporter and consumer drain
    read -r rps p99 <<<"$(measure "$c" "$DURATION")"
    echo "round $((r + 1)) $c: $rps req/s, p99 $p99 ms" >&2
    echo "$c $rps $p99" >>"$results"
  done
done

# Spans still queued reach Zipkin within a message timeout (1 s): wait until the count is stable.
received() {
  curl -sf "http://127.0.0.1:$zipkin_port/prometheus" |
    awk '/^zipkin_collector_spans_total/ {sum += $2} END {printf "%d", sum}'
}
last=-1 stable=0
for _ in $(seq 60); do
  now=$(received)
  if [[ $now == "$last" ]]; then stable=$((stable + 1)); else stable=0; fi
  ((stable >= 3)) && break
  last=$now
  sleep 1
done
restocks=$(grep -c 'restock:' "$work/traced-inventory.log" || true)
served=$(awk '{n += $1} END {print n}' "$work/served-traced")
expected=$((served * SPANS_PER_CHECKOUT + restocks * SPANS_PER_RESTOCK))

base_rps=$(awk '$1 == "untraced" {print $2}' "$results" | median)
base_p99=$(awk '$1 == "untraced" {print $3}' "$results" | median)

echo
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1); wrk -t1 -c$CONNECTIONS, $ROUNDS rounds of $DURATION after $WARMUP warm-up"
echo
echo "| copy | median req/s | median p99 ms | throughput vs untraced | p99 vs untraced | spans received / expected |"
echo "|---|---:|---:|---:|---:|---:|"
for c in "${COPIES[@]}"; do
  rps=$(awk -v c="$c" '$1 == c {print $2}' "$results" | median)
  p99=$(awk -v c="$c" '$1 == c {print $3}' "$results" | median)
  spans="-"
  [[ $c == traced ]] && spans="$(received) / $expected"
  printf "| %s | %.1f | %.2f | %.3f | %.3f | %s |\n" "$c" "$rps" "$p99" \
    "$(awk -v a="$rps" -v b="$base_rps" 'BEGIN {print a / b}')" \
    "$(awk -v a="$p99" -v b="$base_p99" 'BEGIN {print a / b}')" "$spans"
done
echo
in_flight=$((CONNECTIONS * (ROUNDS + 1) * SPANS_PER_CHECKOUT))
echo "(spans: over the whole run, warm-up included: $SPANS_PER_CHECKOUT per checkout wrk counted, $SPANS_PER_RESTOCK per restock run;"
echo " the checkouts in flight when each wrk run ends are served but not counted: received may exceed expected by up to $in_flight)"
echo "Logs: $work" >&2
