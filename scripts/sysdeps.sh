#!/usr/bin/env bash
# Make sure the system libraries Qt (offscreen or on screen), the CJK font and the
# PDF checks need are present. On Debian/Ubuntu as root, install what is missing;
# otherwise print the exact command and stop.
#   scripts/sysdeps.sh run    -> Qt runtime (offscreen, X11/xcb and Wayland) + CJK font
#   scripts/sysdeps.sh test   -> the same + poppler-utils (pdffonts, pdftotext, pdfsig) + Xvfb and xauth
#                                (tests/ui/test_xcb.py starts the app on a virtual X display)
#   scripts/sysdeps.sh venv   -> python3-venv
set -euo pipefail
want="libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-wqy-microhei"
# Qt's xcb platform plugin (libqxcb.so, libQt6XcbQpa.so.6 and its GL integrations): every library they
# link, found with ldd and QT_DEBUG_PLUGINS=1 on a fresh Debian 12. Without icccm4/keysyms1 Qt aborts
# with "xcb-cursor0 or libxcb-cursor0 is needed" although those are the ones missing.
want="$want libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0"
want="$want libxcb-render0 libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-shm0 libxcb-sync1"
want="$want libxcb-xfixes0 libxcb-xkb1 libxcb-glx0 libxcb-util1 libxkbcommon-x11-0"
# Qt's wayland platform plugin (libqwayland.so)
want="$want libwayland-client0 libwayland-cursor0 libwayland-egl1"
case "${1:-run}" in
  test) want="$want poppler-utils qpdf xvfb xauth" ;;
  venv) want="python3-venv" ;;  # Debian's python3 has no venv/ensurepip without it
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "sysdeps: not a Debian/Ubuntu system; make sure these (or your distribution's equivalents) are installed:" >&2
  echo "  $want" >&2
  exit 0
fi
missing=""
for p in $want; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *)
      # Ubuntu 24.04 renamed some libraries with a t64 suffix.
      status64=$(dpkg-query -W -f='${Status}' "${p}t64" 2>/dev/null || true)
      case "$status64" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac ;;
  esac
done
[ -z "$missing" ] && exit 0
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = "0" ]; then
  echo "sysdeps: installing:$missing"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $cmd >/dev/null
else
  echo "sysdeps: missing system packages:$missing" >&2
  echo "sysdeps: run this as root, then try again:" >&2
  echo "  sudo apt-get update && sudo $cmd" >&2
  exit 1
fi
