#!/usr/bin/env bash
# Make sure the system libraries Qt (offscreen or on screen), the CJK font and the
# PDF checks need are present. On Debian/Ubuntu as root, install what is missing;
# otherwise print the exact command and stop.
#   scripts/sysdeps.sh run    -> Qt runtime + CJK font
#   scripts/sysdeps.sh test   -> the same + poppler-utils (pdffonts, pdftotext, pdfsig)
#   scripts/sysdeps.sh venv   -> python3-venv
set -euo pipefail
want="libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-wqy-microhei"
case "${1:-run}" in
  test) want="$want poppler-utils qpdf" ;;
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
