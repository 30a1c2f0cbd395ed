#!/usr/bin/env bash
# Starts the real weightbench window in a virtual X display and saves a PNG of it.
#
#   scripts/screenshot.sh OUT.png [--size WxH] [--click X,Y | --scroll X,Y,N | --key KEYS |
#                         --wait SECONDS]... [-- WEIGHTBENCH ARGS...]
#
# Builds the release binary if needed, installs Xvfb, ImageMagick and xdotool when missing
# (Debian), runs with a throw-away HOME so no saved state leaks in or out, waits for the
# window, fills the screen with it (1600 x 1000 unless --size says otherwise, e.g. 1366x768, a
# common laptop), then in order clicks where asked (screen positions), turns the mouse wheel N steps down
# (up for a negative N) at X,Y, presses keys (xdotool names, e.g.
# ctrl+l) with the window focused, or waits (for background work such as the simulator), and
# writes OUT.png.
set -euo pipefail
out=${1:?usage: scripts/screenshot.sh OUT.png [--size WxH] [--click X,Y | --scroll X,Y,N | --key KEYS | --wait S]... [-- ARGS...]}
shift
steps=()
size=1600x1000
while [[ $# -gt 0 && $1 != -- ]]; do
    case $1 in
        --click | --scroll | --key | --wait) steps+=("$1" "$2"); shift 2 ;;
        --size) size=$2; shift 2 ;;
        *) echo "screenshot.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[[ ${1:-} == -- ]] && shift
cd "$(dirname "$0")/.."

missing=()
command -v Xvfb >/dev/null || missing+=(xvfb)
command -v import >/dev/null || missing+=(imagemagick)
command -v xdotool >/dev/null || missing+=(xdotool)
if [[ ${#missing[@]} -gt 0 ]]; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
cargo build --release --quiet

display=:$((100 + RANDOM % 100))
scratch=$(mktemp -d)
chmod 700 "$scratch"
Xvfb "$display" -screen 0 "${size}x24" -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
cleanup() { kill "${app:-}" "$xvfb" 2>/dev/null || true; rm -rf "$scratch"; }
trap cleanup EXIT
sleep 1

env -u WAYLAND_DISPLAY DISPLAY="$display" XDG_RUNTIME_DIR="$scratch" HOME="$scratch" \
    target/release/weightbench "$@" >"$scratch/log" 2>&1 &
app=$!
if ! window=$(DISPLAY="$display" timeout 20 xdotool search --sync --name weightbench | head -1); then
    echo "screenshot.sh: no window appeared; weightbench said:" >&2
    cat "$scratch/log" >&2
    exit 1
fi
# Without a window manager the window keeps its own size: fill the screen, as a maximised window.
DISPLAY="$display" xdotool windowmove "$window" 0 0 windowsize "$window" "${size%x*}" "${size#*x}" || true
sleep 2
for ((i = 0; i < ${#steps[@]}; i += 2)); do
    value=${steps[i + 1]}
    case ${steps[i]} in
        --click) DISPLAY="$display" xdotool mousemove "${value%,*}" "${value#*,}" click 1 ;;
        --scroll)
            IFS=, read -r x y n <<<"$value"
            button=5
            [[ $n -lt 0 ]] && button=4 && n=$((-n))
            DISPLAY="$display" xdotool mousemove "$x" "$y" click --repeat "$n" --delay 50 "$button"
            ;;
        # Without a window manager nothing gives the window focus: keys would be lost.
        --key) DISPLAY="$display" xdotool windowfocus --sync "$window" key "$value" ;;
        --wait) sleep "$value" ;;
    esac
    sleep 0.5
done
DISPLAY="$display" xdotool mousemove "$((${size%x*} - 1))" "$((${size#*x} - 1))"
sleep 1
DISPLAY="$display" import -window root "$out"
echo "screenshot.sh: wrote $out"
