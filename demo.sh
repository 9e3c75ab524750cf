#!/usr/bin/env bash
# The Spantrail demo: a real Zipkin server, a real Kafka broker (KRaft) and three traced services
# (gateway -> orders -> inventory over HTTP, orders -> inventory over Kafka, inventory's stock in
# H2 through JDBC, a scheduled restock), a few requests (one failing), and each trace read back
# from Zipkin as a tree.
#
#   ./demo.sh           runs until Ctrl-C, then stops everything it started
#   ./demo.sh --once    exits after printing the traces (same as DEMO_EXIT_AFTER_REQUESTS=1)
#
# Needs a JDK 17+ and curl; Maven comes through ./mvnw. Logs go to .demo/.
set -eu -o pipefail

cd "$(dirname "$0")"
ROOT=$(pwd)
DEMO_DIR="$ROOT/.demo"
APP_JAR="$ROOT/sample-app/target/sample-app.jar"
ZIPKIN_JAR="$ROOT/sample-app/target/zipkin/zipkin-server.jar"
KAFKA_POM="$ROOT/sample-app/kafka-broker/pom.xml"
KAFKA_CLASSPATH="$DEMO_DIR/kafka.classpath" # Apache Kafka's broker and its dependencies, from Maven
KAFKA_DIR="$DEMO_DIR/kafka"                 # the broker's data: a fresh single-node cluster per run
ONCE=${DEMO_EXIT_AFTER_REQUESTS:-0}
START=$SECONDS
PIDS=()      # every process this script started, stopped on exit
PORTS=()     # ports chosen so far

for arg in "$@"; do
  case $arg in
    --once) ONCE=1 ;;
    -h | --help) sed -n '2,8p' "$0" | cut -c3-; exit 0 ;;
    *) echo "demo: unknown argument $arg (try --help)" >&2; exit 2 ;;
  esac
done

if [[ -t 1 ]]; then BOLD=$'\033[1m' RED=$'\033[31m' PLAIN=$'\033[0m'; else BOLD= RED= PLAIN=; fi
say() { printf '%s==> %s%s (%ds)\n' "$BOLD" "$*" "$PLAIN" $((SECONDS - START)); }
die() { printf '%sdemo: %s%s\n' "$RED" "$*" "$PLAIN" >&2; exit 1; }

stop_all() {
  trap - EXIT
  trap '' INT TERM # a second Ctrl-C must not leave processes behind: SIGKILL comes anyway
  ((${#PIDS[@]})) || return 0
  echo
  say "stopping ${#PIDS[@]} process(es): ${PIDS[*]}"
  # Newest first: the services flush their queued spans to Zipkin as they stop, so Zipkin goes
  # last. Each gets a graceful SIGTERM, then SIGKILL if it hangs.
  local i pid deadline
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    deadline=$((SECONDS + 20))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "demo: process $pid did not stop in time: killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  PIDS=()
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

forget_pid() {
  local kept=() pid
  for pid in "${PIDS[@]}"; do [[ $pid == "$1" ]] || kept+=("$pid"); done
  PIDS=(${kept[@]+"${kept[@]}"})
}

# Runs a command in the background with its output in a log, showing the log lines that match a
# pattern and a heartbeat every 15 s, so that a long first build is never silent.
run_logged() {
  local log=$1 pattern=$2; shift 2
  "$@" >"$log" 2>&1 &
  local pid=$! shown=0 lines begun=$SECONDS rc
  PIDS+=("$pid")
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    lines=$(wc -l <"$log")
    if ((lines > shown)); then
      sed -n "$((shown + 1)),${lines}p" "$log" | grep -E "$pattern" | sed 's/^\[INFO\] /    /' || true
      shown=$lines
    fi
    if (((SECONDS - begun) % 15 == 0)); then echo "    ... still working ($((SECONDS - begun)) s, log: ${log#"$ROOT"/})"; fi
  done
  if wait "$pid"; then rc=0; else rc=$?; fi
  forget_pid "$pid"
  if ((rc != 0)); then
    tail -n 40 "$log" >&2
    die "'$*' failed (exit $rc); full log: $log"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port VAR PREFERRED: the preferred port if it is free, else the next free one above it.
free_port() {
  local port=$2 taken p
  while :; do
    taken=0
    for p in ${PORTS[@]+"${PORTS[@]}"}; do [[ $p == "$port" ]] && taken=1; done
    if ((!taken)) && ! port_in_use "$port"; then break; fi
    port=$((port + 1))
  done
  PORTS+=("$port")
  printf -v "$1" %s "$port"
}

# Waits until a process listens on its port; fails fast, with its log, if it died.
await_port() {
  local name=$1 pid=$2 port=$3 log=$4 timeout=${5:-120} begun=$SECONDS
  until port_in_use "$port"; do
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$log" >&2; die "$name exited during startup (log: $log)"; }
    ((SECONDS - begun < timeout)) || die "$name not ready on port $port after $timeout s (log: $log)"
    sleep 0.5
  done
}

command -v java >/dev/null || die "java is not on the PATH: a JDK 17 or later is needed"
command -v curl >/dev/null || die "curl is not on the PATH"
mkdir -p "$DEMO_DIR"

# 1. Build, fetch and start Zipkin.
say "building the sample app (first run downloads dependencies: a few minutes)"
run_logged "$DEMO_DIR/build.log" '^\[INFO\] Building .*\[|BUILD|ERROR' \
  ./mvnw -B -DskipTests -pl sample-app -am package
if [[ ! -s $ZIPKIN_JAR ]]; then
  say "fetching the Zipkin server through Maven (135 MB, first run only)"
  run_logged "$DEMO_DIR/fetch-zipkin.log" 'BUILD|ERROR' \
    ./mvnw -B -pl sample-app dependency:copy@zipkin-server
fi
# Kafka's jars, resolved by Maven into the local repository; the file lists them (cached).
kafka_classpath_ok() {
  [[ -s $KAFKA_CLASSPATH && ! $KAFKA_POM -nt $KAFKA_CLASSPATH ]] || return 1
  local jar jars
  IFS=: read -r -a jars <"$KAFKA_CLASSPATH"
  for jar in "${jars[@]}"; do [[ -f $jar ]] || return 1; done
}
if ! kafka_classpath_ok; then
  say "resolving the Apache Kafka broker through Maven (first run only)"
  run_logged "$DEMO_DIR/fetch-kafka.log" 'BUILD|ERROR' \
    ./mvnw -B -f "$KAFKA_POM" dependency:build-classpath "-Dmdep.outputFile=$KAFKA_CLASSPATH"
fi

free_port ZIPKIN_PORT 9411
[[ $ZIPKIN_PORT == 9411 ]] || echo "    port 9411 is taken: Zipkin gets port $ZIPKIN_PORT"
say "starting Zipkin on 127.0.0.1:$ZIPKIN_PORT"
QUERY_PORT=$ZIPKIN_PORT STORAGE_TYPE=mem java -Xmx256m -jar "$ZIPKIN_JAR" \
  "--armeria.ports[0].port=$ZIPKIN_PORT" "--armeria.ports[0].ip=127.0.0.1" \
  "--armeria.ports[0].protocols[0]=http" >"$DEMO_DIR/zipkin.log" 2>&1 &
ZIPKIN_PID=$!
PIDS+=("$ZIPKIN_PID")

# 2. The three services and the Kafka broker, started while Zipkin starts.
free_port KAFKA_PORT 9092
free_port KAFKA_CONTROLLER_PORT 9093
free_port GATEWAY_PORT 8080
free_port ORDERS_PORT 8081
free_port INVENTORY_PORT 8082
say "starting inventory (:$INVENTORY_PORT), orders (:$ORDERS_PORT) and gateway (:$GATEWAY_PORT)"
start_service() {
  local name=$1 port=$2
  java -Xmx256m -XX:TieredStopAtLevel=1 -jar "$APP_JAR" \
    "--spring.profiles.active=$name" \
    "--server.port=$port" \
    "--sample.orders-url=http://127.0.0.1:$ORDERS_PORT" \
    "--sample.inventory-url=http://127.0.0.1:$INVENTORY_PORT" \
    "--spantrail.zipkin.endpoint=http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans" \
    "--spring.kafka.bootstrap-servers=127.0.0.1:$KAFKA_PORT" \
    >"$DEMO_DIR/$name.log" 2>&1 &
  PIDS+=("$!")
  printf -v "${name^^}_PID" %s "$!"
}
start_service inventory "$INVENTORY_PORT"
start_service orders "$ORDERS_PORT"
start_service gateway "$GATEWAY_PORT"

# A single-node KRaft broker (broker and controller in one process): Kafka's own main class, on
# loopback, its storage formatted afresh each run; started while the services start.
say "starting a Kafka broker (KRaft) on 127.0.0.1:$KAFKA_PORT"
rm -rf "$KAFKA_DIR"
mkdir -p "$KAFKA_DIR"
cat >"$KAFKA_DIR/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data
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
KAFKA_JAVA=(java -Xmx512m -cp "$(<"$KAFKA_CLASSPATH")" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
# A new cluster ID each run (any base64 UUID: format checks nothing else).
CLUSTER_ID=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c 1-21)A
"${KAFKA_JAVA[@]}" kafka.tools.StorageTool format --standalone -t "$CLUSTER_ID" \
  -c "$KAFKA_DIR/server.properties" >"$DEMO_DIR/kafka-format.log" 2>&1 ||
  { tail -n 30 "$DEMO_DIR/kafka-format.log" >&2; die "could not format the Kafka broker's storage"; }
"${KAFKA_JAVA[@]}" kafka.Kafka "$KAFKA_DIR/server.properties" >"$DEMO_DIR/kafka.log" 2>&1 &
KAFKA_PID=$!
# Stopped after the services (their Kafka clients leave cleanly) and before Zipkin.
PIDS=("$ZIPKIN_PID" "$KAFKA_PID" "$INVENTORY_PID" "$ORDERS_PID" "$GATEWAY_PID")

begun=$SECONDS
until curl -sf -o /dev/null "http://127.0.0.1:$ZIPKIN_PORT/health"; do
  kill -0 "$ZIPKIN_PID" 2>/dev/null || { tail -n 30 "$DEMO_DIR/zipkin.log" >&2; die "Zipkin exited during startup"; }
  ((SECONDS - begun < 120)) || die "Zipkin not healthy after 120 s (log: $DEMO_DIR/zipkin.log)"
  sleep 0.5
done
say "Zipkin is up: http://localhost:$ZIPKIN_PORT/zipkin/"
await_port inventory "$INVENTORY_PID" "$INVENTORY_PORT" "$DEMO_DIR/inventory.log"
await_port orders "$ORDERS_PID" "$ORDERS_PORT" "$DEMO_DIR/orders.log"
await_port gateway "$GATEWAY_PID" "$GATEWAY_PORT" "$DEMO_DIR/gateway.log"
await_port kafka "$KAFKA_PID" "$KAFKA_PORT" "$DEMO_DIR/kafka.log"
# Inventory's listener must hold its partition before the first order, or that trace could be
# printed before its record is handled.
begun=$SECONDS
until grep -qF 'partitions assigned: [orders-0]' "$DEMO_DIR/inventory.log"; do
  kill -0 "$INVENTORY_PID" 2>/dev/null || { tail -n 30 "$DEMO_DIR/inventory.log" >&2; die "inventory exited during startup"; }
  ((SECONDS - begun < 120)) || die "inventory's Kafka listener got no partition in 120 s (logs: $DEMO_DIR/inventory.log, kafka.log)"
  sleep 0.5
done
say "services are up"
printf '    trace pages: gateway http://localhost:%s/actuator/traces, orders http://localhost:%s/actuator/traces, inventory http://localhost:%s/actuator/traces\n' "$GATEWAY_PORT" "$ORDERS_PORT" "$INVENTORY_PORT"

# 3. A few requests, one failing; each answer names its trace.
TRACE_IDS=()
checkout() {
  local query=$1 body status trace
  body=$(curl -s -w '\n%{http_code}' "http://127.0.0.1:$GATEWAY_PORT/checkout?$query") || die "gateway did not answer"
  status=${body##*$'\n'}
  body=${body%$'\n'*}
  trace=$(grep -o '"traceId":"[0-9a-f]*"' <<<"$body" | head -n 1 | cut -d'"' -f4 || true)
  printf '    GET /checkout?%-36s -> %s  trace %s\n' "$query" "$status" "${trace:-?}"
  if [[ -n $trace ]]; then
    printf '        http://localhost:%s/zipkin/traces/%s\n' "$ZIPKIN_PORT" "$trace"
    printf '        http://localhost:%s/actuator/traces#%s  (gateway trace page)\n' "$GATEWAY_PORT" "$trace"
    TRACE_IDS+=("$trace")
  fi
}
say "sending requests to the gateway"
checkout "user=alice&item=book"
checkout "user=bob&item=lamp&quantity=2"
checkout "user=carol&item=chair&fail=true"
((${#TRACE_IDS[@]})) || die "no trace IDs in the answers: is tracing on? (logs in $DEMO_DIR)"

say "reading the traces back from Zipkin"
java -cp "$APP_JAR" -Dloader.main=dev.spantrail.sample.demo.TraceTree \
  org.springframework.boot.loader.launch.PropertiesLauncher \
  "http://127.0.0.1:$ZIPKIN_PORT" 3 "${TRACE_IDS[@]}" || die "some traces did not reach Zipkin"
# inventory's @Scheduled restock job: each run is a trace of its own; its log line names it.
RESTOCK_TRACE=$(grep -o '\[inventory,[0-9a-f]\{32\},[0-9a-f]\{16\},\] .*restock:' "$DEMO_DIR/inventory.log" |
  head -n 1 | cut -d, -f2 || true)
if [[ -n $RESTOCK_TRACE ]]; then
  say "a scheduled run: inventory's restock job, the root of its own trace"
  java -cp "$APP_JAR" -Dloader.main=dev.spantrail.sample.demo.TraceTree \
    org.springframework.boot.loader.launch.PropertiesLauncher \
    "http://127.0.0.1:$ZIPKIN_PORT" 1 "$RESTOCK_TRACE" || die "the scheduled run's trace did not reach Zipkin"
fi
say "done: first traces printed"

if [[ $ONCE == 1 ]]; then exit 0; fi

# 4. Until Ctrl-C.
cat <<EOF

  Zipkin UI:   http://localhost:$ZIPKIN_PORT/zipkin/
  Trace pages: http://localhost:$GATEWAY_PORT/actuator/traces (gateway)
               http://localhost:$ORDERS_PORT/actuator/traces (orders)
               http://localhost:$INVENTORY_PORT/actuator/traces (inventory)
               each service's own recent spans, without Zipkin
  Try:         curl 'http://localhost:$GATEWAY_PORT/checkout?user=you&item=kettle'
               curl 'http://localhost:$GATEWAY_PORT/checkout?user=you&fail=true'
  Logs:        .demo/{gateway,orders,inventory,zipkin,kafka}.log (traceId and spanId on every line)

  Press Ctrl-C to stop everything.
EOF
while :; do
  for pid in "${PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || die "process $pid exited unexpectedly (logs in $DEMO_DIR)"
  done
  sleep 2
done
