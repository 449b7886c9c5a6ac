#!/usr/bin/env bash
# RTMP ingest under load: livemux's RtmpServer, then nginx-rtmp, recording the same load one after
# the other on this machine. A load generator (IngestLoad) replays a 2.5 Mbit/s FLV over N
# connections at real-time pace; for each N it reports whether any publisher fell behind (its due
# data could not be sent for > 1 s because the server did not read it) and the server's CPU time
# per stream, read from /proc/PID/stat. Not a unit test.
#
#   mvn -B -ntp -q -pl benchmarks -am package -DskipTests
#   N_LIST="50 100 200 300" RUN_SECONDS=30 bash benchmarks/rtmp-ingest-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N_LIST=${N_LIST:-"50 100 200"}
RUN_SECONDS=${RUN_SECONDS:-30}
JAR=benchmarks/target/benchmarks.jar
WORK=$(mktemp -d /tmp/livemux-ingest.XXXXXX)
TICKS=$(getconf CLK_TCK)
command -v ffmpeg >/dev/null || { echo "ffmpeg missing: apt-get install -y ffmpeg"; exit 1; }
command -v nginx >/dev/null && [ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ] ||
  { echo "nginx-rtmp missing: apt-get install -y nginx libnginx-mod-rtmp"; exit 1; }
[ -f "$JAR" ] || { echo "build first: mvn -B -ntp -q -pl benchmarks -am package -DskipTests"; exit 1; }

# 10 s of 1280x720 at 30 fps, x264 CBR at 2.4 Mbit/s + AAC 128 kbit/s: a 2.5 Mbit/s stream.
ffmpeg -hide_banner -nostdin -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=30 \
  -f lavfi -i sine=frequency=440:sample_rate=48000 -ac 2 -t 10 -c:v libx264 -preset veryfast \
  -b:v 2400k -minrate 2400k -maxrate 2400k -bufsize 1200k -x264-params nal-hrd=cbr -g 60 -pix_fmt yuv420p -c:a aac -b:a 128k \
  -f flv "$WORK/source.flv"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# min, mean and max duration (s) of the recordings under $1 with extension $2
recorded() {
  find "$1" -name "*.$2" -print0 | xargs -0 -n 1 ffprobe -v error -show_entries format=duration -of csv=p=0 |
    awk 'NR == 1 || $1 < min { min = $1 } $1 > max { max = $1 } { sum += $1 } END { if (NR) printf "%.1f %.1f %.1f", min, sum / NR, max }'
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
wait_for() { for _ in $(seq 1 200); do grep -q "$1" "$2" 2>/dev/null && return 0; sleep 0.1; done; echo "timeout waiting for $1 in $2"; cat "$2"; exit 1; }

printf "%-6s %-8s %-70s %-10s %-14s\n" N server "load generator result" cpu_s "cpu_ms/stream/s"
for N in $N_LIST; do
  # --- livemux ---
  PORT=$(free_port)
  rm -f "$WORK/ctl"; mkfifo "$WORK/ctl"
  java -Xmx3g -cp "$JAR" io.livemux.benchmarks.ingest.IngestServerMain "$PORT" "$WORK/ours-$N" \
    < "$WORK/ctl" > "$WORK/ours-$N.log" 2>&1 &
  SERVER=$!
  exec 3> "$WORK/ctl"
  wait_for listening "$WORK/ours-$N.log"
  c0=$(cpu_ticks $SERVER)
  java -cp "$JAR" io.livemux.benchmarks.ingest.IngestLoad "rtmp://127.0.0.1:$PORT/live" \
    "$WORK/source.flv" "$N" "$RUN_SECONDS" > "$WORK/load-ours-$N.txt" 2>&1
  c1=$(cpu_ticks $SERVER)
  exec 3>&-
  wait $SERVER || true
  ours_cpu=$(echo "($c1 - $c0) / $TICKS" | bc -l)
  files=$(find "$WORK/ours-$N" -name '*.mp4' | wc -l)
  printf "%-6s %-8s %-70s %-10.1f %-14.2f\n" "$N" livemux "$(grep result "$WORK/load-ours-$N.txt" | cut -c8-) files=$files" \
    "$ours_cpu" "$(echo "$ours_cpu * 1000 / $N / $RUN_SECONDS" | bc -l)"
  echo "       recorded seconds per stream (min mean max): $(recorded "$WORK/ours-$N" mp4); server $(grep stopped "$WORK/ours-$N.log")"
  rm -rf "$WORK/ours-$N"

  # --- nginx-rtmp, same load ---
  PORT=$(free_port)
  NG="$WORK/nginx-$N"; mkdir -p "$NG/record"; chmod 777 "$NG/record"
  cat > "$NG/nginx.conf" <<CONF
daemon off;
master_process off;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
worker_rlimit_nofile 20000;
load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
events { worker_connections 8192; }
rtmp { server { listen 127.0.0.1:$PORT; chunk_size 4096;
  application live { live on; record all; record_path $NG/record; record_unique off; } } }
CONF
  nginx -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log" &
  NGINX=$!
  for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
  c0=$(cpu_ticks $NGINX)
  java -cp "$JAR" io.livemux.benchmarks.ingest.IngestLoad "rtmp://127.0.0.1:$PORT/live" \
    "$WORK/source.flv" "$N" "$RUN_SECONDS" > "$WORK/load-nginx-$N.txt" 2>&1
  c1=$(cpu_ticks $NGINX)
  kill $NGINX; wait $NGINX || true
  nginx_cpu=$(echo "($c1 - $c0) / $TICKS" | bc -l)
  files=$(find "$NG/record" -name '*.flv' | wc -l)
  nginx_recorded=$(recorded "$NG/record" flv)
  printf "%-6s %-8s %-70s %-10.1f %-14.2f\n" "$N" nginx "$(grep result "$WORK/load-nginx-$N.txt" | cut -c8-) files=$files" \
    "$nginx_cpu" "$(echo "$nginx_cpu * 1000 / $N / $RUN_SECONDS" | bc -l)"
  echo "       recorded seconds per stream (min mean max): $nginx_recorded"
  echo "       CPU ratio livemux / nginx-rtmp at N=$N: $(echo "$ours_cpu / $nginx_cpu" | bc -l | cut -c1-5)"
  rm -rf "$NG"
done
rm -rf "$WORK"
