#!/usr/bin/env bash
# livemux remux against ffmpeg and cp, each as a whole process, on the same 10-minute 1080p
# H.264 + AAC FLV, 3 runs each, alternating; prints a markdown table with ratios.
#
#   benchmarks/remux-vs-ffmpeg.sh [WORK_DIR]    (default /tmp/livemux-remux-bench; keeps the input)
#   RUNS=5 LIVEMUX_BEFORE=/path/to/other/checkout benchmarks/remux-vs-ffmpeg.sh
#       (more runs; also times that checkout's ./livemux, e.g. main's, as "livemux (before)")
#
# cp is the physical floor (read + write every byte, nothing else). Like cp and ffmpeg, `livemux
# remux` leaves its output in the page cache (`--fsync` waits for the device). Each run is timed
# twice: the command alone, and the command followed by `sync FILE` (what it takes until the bytes
# are on disk, for all of them). Two JVM floors run beside them (benchmarks' RemuxFloor, the
# launcher's JVM options, no MP4 written): one in-kernel copy of the file, and the same after
# reading every FLV tag header; what any remuxer running on a JVM takes at least.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-/tmp/livemux-remux-bench}"
runs="${RUNS:-3}"
mkdir -p "$work"
input="$work/in.flv"

for tool in ffmpeg java mvn; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y ffmpeg maven openjdk-17-jdk-headless)" >&2; exit 1; }
done

if [ ! -s "$input" ]; then
  echo "making a 10-minute 1080p30 H.264 (x264 ultrafast, 4 Mb/s, 2 B-frames) + AAC FLV in $work ..." >&2
  # One minute encoded, then looped 10 times with -c copy (timestamps continue): same bytes a
  # 10-minute encode would give, in a fraction of the time on a small machine.
  ffmpeg -hide_banner -loglevel error -nostdin -y \
    -f lavfi -i testsrc2=size=1920x1080:rate=30 -f lavfi -i sine=frequency=440:sample_rate=48000 \
    -t 60 -c:v libx264 -preset ultrafast -bf 2 -b:v 4M -maxrate 4M -bufsize 8M -g 60 -pix_fmt yuv420p \
    -c:a aac -b:a 128k -ac 2 -f flv "$work/minute.flv"
  ffmpeg -hide_banner -loglevel error -nostdin -y -stream_loop 9 -i "$work/minute.flv" -c copy -f flv "$input"
  rm -f "$work/minute.flv"
fi
"$root/livemux" --version >/dev/null # builds the jar now, not inside a timed run
# The JVM floors (io.livemux.benchmarks.RemuxFloor, run with the launcher's JVM options): what any
# JVM remuxer must take at least, beside cp's floor for any program.
bench_jar="$root/benchmarks/target/benchmarks.jar"
if [ ! -f "$bench_jar" ] || [ -n "$(find "$root/benchmarks/src" -newer "$bench_jar" -type f -print -quit)" ]; then
  echo "building $bench_jar ..." >&2
  (cd "$root" && mvn -B -ntp -q -DskipTests -pl benchmarks -am package)
fi
floor=(java -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -Xmn16m -XX:-UsePerfData
  -cp "$bench_jar" io.livemux.benchmarks.RemuxFloor)
tools=(cp jvmcopy jvmindex ffmpeg livemux)
if [ -n "${LIVEMUX_BEFORE:-}" ]; then
  "$LIVEMUX_BEFORE/livemux" --version >/dev/null
  tools+=(before)
fi

size=$(stat -c %s "$input")
duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$input")
cat "$input" >/dev/null # the input is read from the page cache by every run alike

now() { date +%s%N; }
# CPU time (user + sys, ms) of the last command, from GNU time when it is there (Debian: time).
timer=()
if [ -x /usr/bin/time ]; then timer=(/usr/bin/time -f "%U %S" -o "$work/cpu"); fi
cpu_ms() { if [ -s "$work/cpu" ]; then awk '{printf "%d", ($1 + $2) * 1000}' "$work/cpu"; else echo 0; fi; }
declare -A alone synced cpu
for ((run = 1; run <= runs; run++)); do
  for tool in "${tools[@]}"; do
    out="$work/out-$tool.$(case "$tool" in cp | jvm*) echo flv ;; *) echo mp4 ;; esac)"
    rm -f "$out" "$work/cpu"
    sync
    t0=$(now)
    case "$tool" in
      cp) "${timer[@]}" cp "$input" "$out" ;;
      jvmcopy) "${timer[@]}" "${floor[@]}" copy "$input" "$out" 2>>"$work/floor.log" ;;
      jvmindex) "${timer[@]}" "${floor[@]}" index-copy "$input" "$out" 2>>"$work/floor.log" ;;
      ffmpeg) "${timer[@]}" ffmpeg -hide_banner -loglevel error -nostdin -y -i "$input" -c copy "$out" ;;
      livemux) "${timer[@]}" "$root/livemux" remux "$input" "$out" >/dev/null ;;
      before) "${timer[@]}" "$LIVEMUX_BEFORE/livemux" remux "$input" "$out" >/dev/null ;;
    esac
    t1=$(now)
    sync "$out"
    t2=$(now)
    alone[$tool]+="$(( (t1 - t0) / 1000000 )) "
    synced[$tool]+="$(( (t2 - t0) / 1000000 )) "
    cpu[$tool]+="$(cpu_ms) "
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms_to_s() { awk -v ms="$1" 'BEGIN {printf "%.2f", ms / 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }

echo
echo "Input: $(awk -v b="$size" 'BEGIN {printf "%.0f MB", b / 1e6}'), ${duration%.*} s of 1080p30 H.264 + AAC 48 kHz stereo (FLV); $runs runs each, alternating; median wall time of the whole process."
echo "Load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine: read the ratios)."
echo "Machine: $(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1), $(ffmpeg -version | head -1 | cut -d' ' -f1-3)."
echo
for view in alone synced; do
  declare -n times="$view"
  l=$(echo "${times[livemux]}" | median)
  f=$(echo "${times[ffmpeg]}" | median)
  c=$(echo "${times[cp]}" | median)
  if [ "$view" = alone ]; then
    echo "**The command alone** (each leaves dirty pages in the page cache):"
  else
    echo "**Until the output is on disk** (the command, then \`sync FILE\`):"
  fi
  echo
  echo "| command | wall time of each run (ms) | median | MB/s | its time ÷ livemux's | CPU user+sys, median |"
  echo "| --- | --- | --- | --- | --- | --- |"
  for tool in livemux ffmpeg cp jvmcopy jvmindex ${LIVEMUX_BEFORE:+before}; do
    m=$(echo "${times[$tool]}" | median)
    label=$tool
    case "$tool" in
      livemux) label="\`livemux remux in.flv out.mp4\`" ;;
      ffmpeg) label="\`ffmpeg -i in.flv -c copy out.mp4\`" ;;
      cp) label="\`cp in.flv out.flv\` (floor)" ;;
      jvmcopy) label="JVM floor: one in-kernel copy (\`RemuxFloor copy\`)" ;;
      jvmindex) label="JVM floor: FLV tag index + in-kernel copy (\`RemuxFloor index-copy\`)" ;;
      before) label="\`livemux remux\` of $LIVEMUX_BEFORE" ;;
    esac
    echo "| $label | ${times[$tool]% } | $(ms_to_s "$m") s | $(awk -v b="$size" -v ms="$m" 'BEGIN {printf "%.0f", b / 1e3 / ms}') | $(ratio "$m" "$l") | $(ms_to_s "$(echo "${cpu[$tool]}" | median)") s |"
  done
  echo
  echo "livemux takes $(ratio "$l" "$f") of ffmpeg's time and $(ratio "$l" "$c") of cp's; the JVM floors take $(ratio "$(echo "${times[jvmcopy]}" | median)" "$c") and $(ratio "$(echo "${times[jvmindex]}" | median)" "$c") of cp's."
  echo
  unset -n times
done
