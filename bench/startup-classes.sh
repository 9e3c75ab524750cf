#!/usr/bin/env bash
# What the Spantrail starter adds to the start of the bench/http app (Spring Boot 4.1 MVC), in
# measures that a busy machine barely moves: the classes the JVM loaded and the CPU time the
# process used (all its threads, JIT compilers included; and the main thread alone) up to the
# first answered GET /hello. Wall-clock startup is bench/startup-memory.sh.
#
# Each round starts each variant alone, in a different order each round, with -Xlog:class+load,
# and reads /proc/<pid>/stat (utime + stime) and the class-load log at the first answer. Prints the
# medians per variant against untraced, then the classes that only the traced app had loaded by
# then (last round), counted by package.
#
#   bench/startup-classes.sh                         5 rounds: about 2 minutes
#   ROUNDS=9 bench/startup-classes.sh
#   APP_ARGS=--spring.http.clients.imperative.factory=simple bench/startup-classes.sh
#                                       RestTemplate without the JDK HttpClient, in every variant
#   SKIP_BUILD=1 bench/startup-classes.sh            reuses the apps built before
#
# Everything listens on 127.0.0.1; everything it starts is stopped by PID when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh # pick_port, median

ROUNDS=${ROUNDS:-5}
JVM_OPTS=${JVM_OPTS:-"-Xms512m -Xmx512m"}
read -r -a APP_ARGS <<<"${APP_ARGS:-}"
VARIANTS=(untraced spantrail)

for tool in curl ss; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done

if [[ -z ${SKIP_BUILD:-} ]]; then
  echo "Building the apps (bench/http)..." >&2
  ./mvnw -B -q ${MVN_FLAGS:-} -f bench/http/pom.xml clean package -DskipTests -pl untraced,spantrail -am # clean: else an app jar can keep an older starter
fi

work=$(mktemp -d /tmp/startup-classes.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 1' INT TERM # so that cleanup runs then too

# The traced app reports to a span endpoint that discards, as in bench/http-overhead.sh.
pick_port; sink=$port
java -Xmx128m bench/SpanSink.java "$sink" >"$work/sink.log" 2>&1 &
pids+=("$!")
until curl -sf -o /dev/null "http://127.0.0.1:$sink/count"; do sleep 0.2; done

tick=$(getconf CLK_TCK)
cpu_ms() { # /proc stat file -> utime + stime in ms (the name field may hold spaces)
  sed 's/^.*) //' "$1" | awk -v t="$tick" '{printf "%d", ($12 + $13) * 1000 / t}'
}

run() { # variant round -> "cpu_ms main_ms classes"
  local v=$1 args
  pick_port
  local app=$port classes="$work/$v-$2.classes"
  args=(--server.port="$app" "${APP_ARGS[@]}")
  # The first span is sent a message timeout after the first answer, on the reporter's thread;
  # a long one keeps that send (and the classes it loads) out of the counts on a slow machine.
  [[ $v == spantrail ]] && args+=(--spantrail.sampler.probability=1.0
    --spantrail.zipkin.endpoint="http://127.0.0.1:$sink/api/v2/spans"
    --spantrail.reporter.message-timeout=1m)
  # shellcheck disable=SC2086 # JVM_OPTS are words
  java $JVM_OPTS -Xlog:class+load:file="$classes" -jar "bench/http/$v/target/app.jar" "${args[@]}" \
    >"$work/$v-$2.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  local start=$SECONDS
  until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$app/hello"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$v exited:" >&2; tail -30 "$work/$v-$2.log" >&2; return 1
    fi
    if ((SECONDS - start > 180)); then echo "$v: no answer after 180 s" >&2; return 1; fi
    sleep 0.02
  done
  local cpu main n t
  cpu=$(cpu_ms "/proc/$pid/stat")
  # The thread that runs main() keeps the launcher's name, "java", as the launcher's own (idle)
  # thread does: the busier of them.
  main=0
  for task in /proc/"$pid"/task/*; do
    [[ $(cat "$task/comm" 2>/dev/null) == java ]] || continue
    t=$(cpu_ms "$task/stat")
    ((t > main)) && main=$t
  done
  n=$(grep -c . "$classes")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  head -n "$n" "$classes" >"$classes.first"
  echo "$cpu $main $n"
}

results="$work/results.txt"
for ((r = 0; r < ROUNDS; r++)); do
  for ((i = 0; i < ${#VARIANTS[@]}; i++)); do
    v=${VARIANTS[$(((i + r) % ${#VARIANTS[@]}))]} # a different order each round
    read -r cpu main n <<<"$(run "$v" "$r")"
    echo "round $((r + 1)) $v: CPU $cpu ms (main thread $main ms), $n classes at the first answer" >&2
    echo "$v $cpu $main $n" >>"$results"
  done
done

col() { awk -v v="$1" -v c="$2" '$1 == v {print $c}' "$results" | median; }

echo
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1); JVM options: $JVM_OPTS; app arguments: ${APP_ARGS[*]:-none}; $ROUNDS rounds"
echo
echo "| variant | median CPU ms to first answer | vs untraced | median main-thread CPU ms | median classes loaded | vs untraced |"
echo "|---|---:|---:|---:|---:|---:|"
for v in "${VARIANTS[@]}"; do
  awk -v v="$v" -v c="$(col "$v" 2)" -v bc="$(col untraced 2)" -v m="$(col "$v" 3)" \
    -v n="$(col "$v" 4)" -v bn="$(col untraced 4)" \
    'BEGIN {printf "| %s | %.0f | %.3f | %.0f | %.0f | %+.0f |\n", v, c, c / bc, m, n, n - bn}'
done

# Class names without the numbers of lambdas, proxies and generated accessors, which differ per run.
names() {
  awk '{print $2}' "$1" | sed -E 's/\$\$Lambda.*$//; s/\$\$SpringCGLIB.*$//; s/0x[0-9a-f]+//g;
    s/\$Proxy[0-9]+/$Proxy/; s/Accessor[0-9]+$/Accessor/' | grep -v '^java.lang.invoke.LambdaForm' | sort -u
}
last=$((ROUNDS - 1))
echo
echo "Classes only the spantrail app had loaded at its first answer (round $ROUNDS), by package:"
comm -13 <(names "$work/untraced-$last.classes.first") <(names "$work/spantrail-$last.classes.first") |
  awk -F. '{p = $1; for (i = 2; i < NF && i <= 4; i++) p = p "." $i; print p}' | sort | uniq -c | sort -rn
echo "Logs: $work" >&2
