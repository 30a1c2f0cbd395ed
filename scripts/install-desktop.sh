#!/usr/bin/env bash
# Installs weightbench into the desktop for the current user: the menu entry, the icon and the
# file types (presets, .npy, .npz, .safetensors), so a file manager offers "Open with
# weightbench". Install the program first (cargo install --path .).
#   scripts/install-desktop.sh [--bin PATH]   install (PATH: the weightbench to start)
#   scripts/install-desktop.sh --uninstall    remove what install put there
# Files go under $XDG_DATA_HOME (default ~/.local/share); nothing outside it is touched.
set -euo pipefail
usage="usage: install-desktop.sh [--bin PATH] | --uninstall"
here=$(cd "$(dirname "$0")/.." && pwd)
assets=$here/assets
data=${XDG_DATA_HOME:-$HOME/.local/share}
applications=$data/applications
hicolor=$data/icons/hicolor
mime=$data/mime

action=install bin=
while [[ $# -gt 0 ]]; do
    case $1 in
        --uninstall) action=uninstall; shift ;;
        --bin) bin=${2:?$usage}; shift 2 ;;
        -h|--help) echo "$usage"; exit 0 ;;
        *) echo "install-desktop.sh: unknown argument $1; $usage" >&2; exit 2 ;;
    esac
done

# The icon's size, from the PNG header (bytes 16-23: width and height, big-endian).
icon_size() {
    local bytes
    read -r -a bytes < <(od -An -tu1 -j16 -N8 "$assets/icon.png")
    local width=$(( (bytes[0] << 24) + (bytes[1] << 16) + (bytes[2] << 8) + bytes[3] ))
    local height=$(( (bytes[4] << 24) + (bytes[5] << 16) + (bytes[6] << 8) + bytes[7] ))
    echo "${width}x${height}"
}
icon=$hicolor/$(icon_size)/apps/weightbench.png
entry=$applications/weightbench.desktop
types=$mime/packages/weightbench-mime.xml

# Runs a desktop database tool if it is installed, else says what was skipped.
refresh() {
    local tool=$1; shift
    if command -v "$tool" >/dev/null; then
        "$tool" "$@" >/dev/null || echo "install-desktop.sh: $tool $* failed (continuing)" >&2
    else
        echo "note: $tool is not installed; skipped (the desktop picks the change up on its next scan)"
    fi
}

refresh_all() {
    mkdir -p "$mime/packages"
    refresh update-mime-database "$mime"
    refresh update-desktop-database "$applications"
    # A user-level icon cache hides icons added later without one, so refresh only an existing
    # cache; without a cache, GTK and Qt find the new file by looking.
    [[ -d $hicolor ]] && touch "$hicolor"
    if [[ -f $hicolor/icon-theme.cache ]]; then
        refresh gtk-update-icon-cache --force --ignore-theme-index "$hicolor"
    fi
}

if [[ $action == uninstall ]]; then
    rm -f "$entry" "$icon" "$types"
    refresh_all
    echo "removed $entry, $icon and $types"
    exit 0
fi

# The desktop starts programs with its own PATH, which often lacks ~/.cargo/bin: name the binary
# in full when it can be found and its path needs no quoting in a desktop entry.
if [[ -z $bin ]]; then
    bin=$(command -v weightbench || true)
    [[ -z $bin && -x ${CARGO_HOME:-$HOME/.cargo}/bin/weightbench ]] && bin=${CARGO_HOME:-$HOME/.cargo}/bin/weightbench
fi
exec_line=weightbench
if [[ -n $bin ]]; then
    [[ -x $bin ]] || { echo "install-desktop.sh: $bin is not an executable" >&2; exit 1; }
    bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
    if [[ $bin =~ ^[A-Za-z0-9/._+-]+$ ]]; then
        exec_line=$bin
    else
        echo "note: $bin has characters a desktop entry would need quoted; the entry runs 'weightbench' from PATH"
    fi
else
    echo "note: no weightbench found on PATH or in ~/.cargo/bin; the entry runs 'weightbench' from the desktop's PATH"
fi

mkdir -p "$applications" "$(dirname "$icon")" "$mime/packages"
sed -e "s|^Exec=weightbench |Exec=$exec_line |" -e "s|^TryExec=weightbench$|TryExec=$exec_line|" \
    "$assets/weightbench.desktop" >"$entry.tmp"
mv "$entry.tmp" "$entry"
cp "$assets/icon.png" "$icon"
cp "$assets/weightbench-mime.xml" "$types"
refresh_all
echo "installed $entry (Exec=$exec_line %f), $icon and $types"
