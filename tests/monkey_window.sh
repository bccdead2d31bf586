#!/usr/bin/env bash
# A monkey run of gdviz's real window under Xvfb, by hand (not a ctest test: it takes minutes and needs X tools).
#
#   tests/monkey_window.sh [MINUTES] [--bin build/bin/gdviz] [--seed N] [--out DIR] [-- gdviz arguments]
#
# Starts Xvfb :98 (1024x768), starts gdviz on the built-in lesson (or with the arguments after --), and for MINUTES
# (default 10) sends random real input through XTEST with xdotool: keys (space, n, e, arrows, ctrl+z,
# ctrl+shift+z, digits, F1, Escape, F5), clicks and drags over the window, wheel turns, and text typed into the
# fields of the controls. Meanwhile it samples the process's resident memory every few seconds and measures how
# long the window takes to answer, then prints a summary: crashed or not, the longest freeze, RSS min and max.
#
# How freezes are measured: a small X client (built here from the C below) sends the window the window manager's
# _NET_WM_PING every 100 ms and times the answer. Qt answers a ping only from its GUI thread's event loop, after
# the input queued before it, so the round trip is how long a key or a click would wait for the window; it
# cannot be answered by the X server, nor by any thread of gdviz but the one that paints. A freeze is a round
# trip over 1 s; the longest one is reported (to within the 100 ms between pings).
#
# Needs Debian's xvfb, xdotool, x11-utils (xdpyinfo) and a C compiler with libx11-dev.
# Exit status: 0 when gdviz neither crashed nor froze over 1 s, 1 otherwise, 2 when it could not run.
set -u
minutes=10; bin=build/bin/gdviz; seed=$$; out=""
while [ $# -gt 0 ]; do case $1 in
  --bin) bin=$2; shift 2;; --seed) seed=$2; shift 2;; --out) out=$2; shift 2;; --) shift; break;;
  [0-9]*) minutes=$1; shift;; *) echo "monkey_window: unknown argument '$1'" >&2; exit 2;; esac; done
for t in Xvfb xdotool xdpyinfo cc; do command -v $t >/dev/null || { echo "monkey_window: needs $t" >&2; exit 2; }; done
[ -x "$bin" ] || { echo "monkey_window: no executable at $bin (build first, or --bin)" >&2; exit 2; }
[ -n "$out" ] || out=$(mktemp -d /tmp/monkey_window.XXXXXX)
mkdir -p "$out"
display=98
if [ -e /tmp/.X11-unix/X$display ] || [ -e /tmp/.X$display-lock ]; then
  echo "monkey_window: display :$display is taken (another Xvfb?)" >&2; exit 2
fi

# The ping probe: sends _NET_WM_PING to the window every interval and prints "<ms since start> <round trip ms>".
cat > "$out/x11ping.c" <<'EOF'
#include <X11/Xlib.h>
#include <X11/Xatom.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/select.h>
#include <time.h>

static int gone = 0;
static int onError(Display *d, XErrorEvent *e) { (void)d; if (e->error_code == BadWindow) gone = 1; return 0; }
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "x11ping WINDOW INTERVAL_MS\n"); return 2; }
    Display *d = XOpenDisplay(NULL);
    if (!d) return 2;
    XSetErrorHandler(onError);
    Window w = strtoul(argv[1], NULL, 0), root = DefaultRootWindow(d);
    const double interval = atof(argv[2]);
    Atom protocols = XInternAtom(d, "WM_PROTOCOLS", False), ping = XInternAtom(d, "_NET_WM_PING", False);
    XSelectInput(d, root, StructureNotifyMask); /* Qt sends its answer to the root window with this mask */
    const double start = now();
    for (unsigned long serial = 1; !gone; ++serial) {
        XEvent e = {0};
        e.xclient.type = ClientMessage;
        e.xclient.window = w;
        e.xclient.message_type = protocols;
        e.xclient.format = 32;
        e.xclient.data.l[0] = ping;
        e.xclient.data.l[1] = serial; /* the "timestamp": ours, to match the answer */
        e.xclient.data.l[2] = w;
        const double sent = now();
        XSendEvent(d, w, False, NoEventMask, &e);
        XSync(d, False);
        int answered = 0;
        while (!answered && !gone) {
            while (XPending(d)) {
                XEvent r;
                XNextEvent(d, &r);
                if (r.type == ClientMessage && r.xclient.message_type == protocols && (Atom)r.xclient.data.l[0] == ping
                    && (unsigned long)r.xclient.data.l[1] == serial)
                    answered = 1;
            }
            if (answered) break;
            fd_set fds; FD_ZERO(&fds); FD_SET(ConnectionNumber(d), &fds);
            struct timeval tv = {0, 50000};
            select(ConnectionNumber(d) + 1, &fds, NULL, NULL, &tv);
            XSync(d, False); /* notices a window that has gone (BadWindow) */
        }
        if (!answered) break;
        const double got = now();
        printf("%.0f %.1f\n", sent - start, got - sent);
        fflush(stdout);
        const double rest = interval - (got - sent);
        if (rest > 0) { struct timespec t = {(time_t)(rest / 1e3), (long)(((long)rest % 1000) * 1000000L)}; nanosleep(&t, NULL); }
    }
    return 0;
}
EOF
cc -O2 -o "$out/x11ping" "$out/x11ping.c" -lX11 || { echo "monkey_window: could not build the ping probe (libx11-dev?)" >&2; exit 2; }

Xvfb :$display -screen 0 1024x768x24 -nolisten tcp >"$out/xvfb.log" 2>&1 & xvfb=$!
export DISPLAY=:$display
for i in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
xdpyinfo >/dev/null 2>&1 || { echo "monkey_window: Xvfb did not start" >&2; kill $xvfb; exit 2; }
export XDG_RUNTIME_DIR=$(mktemp -d); chmod 700 "$XDG_RUNTIME_DIR"
XDG_CONFIG_HOME=$(mktemp -d) "$bin" "$@" >"$out/gdviz.log" 2>&1 & app=$!
probe=""; rss_pid=""
cleanup() { kill $probe $rss_pid 2>/dev/null; kill $app 2>/dev/null; wait $app 2>/dev/null; kill $xvfb 2>/dev/null; }
trap cleanup EXIT
w=""; for i in $(seq 300); do w=$(xdotool search --onlyvisible --pid $app 2>/dev/null | head -1); [ -n "$w" ] && break; sleep 0.1; done
[ -n "$w" ] || { echo "monkey_window: no window within 30 s; see $out/gdviz.log" >&2; exit 2; }
sleep 2
xdotool windowfocus $w 2>/dev/null
eval "$(xdotool getwindowgeometry --shell $w)"   # WIDTH HEIGHT X Y
echo "monkey_window: gdviz pid $app, window ${WIDTH}x${HEIGHT}, seed $seed, $minutes min, output in $out"

"$out/x11ping" $w 100 >"$out/pings" 2>"$out/x11ping.log" & probe=$!
( while kill -0 $app 2>/dev/null; do
    awk -v t=$(date +%s) '/^VmRSS/ {print t, $2}' /proc/$app/status 2>/dev/null; sleep 3
  done ) >"$out/rss" & rss_pid=$!

RANDOM=$seed
keys=(space n e Left Right Up Down ctrl+z ctrl+shift+z 0 1 2 3 4 5 6 7 8 9 F1 Escape F5 space n Right)
words=("0.5" "1e-3" "x^2+y^2" "sin(x)*y" "-1" "100" "abc" "3" "0.01" "((" "1e308")
rnd() { echo $(( RANDOM % ($2 - $1 + 1) + $1 )); }   # an integer in [$1, $2]
at() { xdotool mousemove --window $w "$1" "$2" 2>/dev/null; }
top=28   # the menu bar stays untouched: File > Quit would end the run, and its dialogs are for people
end=$(( $(date +%s) + minutes * 60 )); actions=0
while [ "$(date +%s)" -lt $end ] && kill -0 $app 2>/dev/null; do
  eval "$(xdotool getwindowgeometry --shell $w 2>/dev/null)"
  case $(rnd 0 9) in
    0|1|2|3) xdotool key ${keys[$(rnd 0 $(( ${#keys[@]} - 1 )))]} 2>/dev/null;;
    4|5) at $(rnd 0 $(( WIDTH - 1 ))) $(rnd $top $(( HEIGHT - 1 ))); xdotool click 1 2>/dev/null;;
    6) at $(rnd 0 $(( WIDTH - 1 ))) $(rnd $top $(( HEIGHT - 1 ))); xdotool mousedown 1 2>/dev/null; sleep 0.05
       at $(rnd 0 $(( WIDTH - 1 ))) $(rnd $top $(( HEIGHT - 1 ))); sleep 0.05; xdotool mouseup 1 2>/dev/null;;
    7) at $(rnd 0 $(( WIDTH * 2 / 3 ))) $(rnd $top $(( HEIGHT - 1 ))); xdotool click $(rnd 4 5) 2>/dev/null;;
    8) # a field of the controls (the right third), something typed, then Return
       at $(rnd $(( WIDTH * 2 / 3 )) $(( WIDTH - 1 ))) $(rnd $top $(( HEIGHT - 1 ))); xdotool click 1 2>/dev/null
       xdotool type --delay 20 -- "${words[$(rnd 0 $(( ${#words[@]} - 1 )))]}" 2>/dev/null; xdotool key Return 2>/dev/null;;
    9) # a dialog the clicks opened (a colour, a message) is closed as a person would
       [ "$(xdotool search --onlyvisible --pid $app 2>/dev/null | wc -l)" -gt 1 ] && xdotool key Escape 2>/dev/null;;
  esac
  actions=$((actions + 1))
  sleep 0.0$(rnd 3 9)
done

alive=yes; status=""
if ! kill -0 $app 2>/dev/null; then wait $app; status=$?; alive=no; fi
sleep 1; kill $probe 2>/dev/null; kill $rss_pid 2>/dev/null
pings=$(wc -l <"$out/pings")
longest=$(sort -k2 -g "$out/pings" | tail -1 | awk '{print $2}')
freezes=$(awk '$2 > 1000' "$out/pings" | wc -l)
rss=$(awk 'NR == 1 {min = max = first = $2} {if ($2 < min) min = $2; if ($2 > max) max = $2; last = $2}
           END {printf "RSS min %.0f MB, max %.0f MB (first %.0f MB, last %.0f MB, %d samples)", min/1024, max/1024, first/1024, last/1024, NR}' "$out/rss")
echo "monkey_window: $actions random actions in $minutes min (seed $seed)"
if [ $alive = yes ]; then echo "crashed: no (gdviz still running at the end)"
else echo "crashed: YES (gdviz ended with status $status; see $out/gdviz.log)"; fi
echo "longest freeze: ${longest:-?} ms (window ping round trip; $pings pings every 100 ms, $freezes over 1000 ms)"
echo "$rss"
echo "gdviz printed $(wc -l <"$out/gdviz.log") lines on stdout/stderr ($out/gdviz.log)"
[ $alive = yes ] && [ "$freezes" -eq 0 ] && [ "$pings" -gt 0 ]
