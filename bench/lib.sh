# What the bench scripts share; sourced, never run.

taken_ports=" "
pick_port() { # sets $port: one nothing listens on, never the same twice in a run
  while true; do
    # Below the ephemeral range (32768 up), where no client connection can hold it.
    port=$((20000 + RANDOM % 12000))
    [[ $taken_ports == *" $port "* ]] && continue
    [[ -n $(ss -Htln "sport = :$port") ]] && continue
    taken_ports+="$port "
    return
  done
}

median() { # of the numbers on stdin, one a line
  sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}
