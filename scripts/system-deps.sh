#!/usr/bin/env bash
# Install the Debian packages formsvc needs when they are missing.
#   scripts/system-deps.sh run    WeasyPrint's Pango (PDF rendering)
#   scripts/system-deps.sh test   + poppler-utils (pdftotext, pdftoppm) for the suite, Chromium for the
#                                 browser tests, a Thai system font for its own UI (PDF viewer) and
#                                 for LibreOffice (Laksaman, metric-compatible with TH Sarabun, which
#                                 the DOCX names), libfaketime, to run the suite again with the process
#                                 clock moved, and LibreOffice Writer: tests/test_docx_office.py
#                                 converts every DOCX kind as a clerk's office opens it, and
#                                 redis-server: tests/test_task_queue.py starts one for render
#                                 workers in separate processes (its own, on a free port)
#   scripts/system-deps.sh bench  + LibreOffice Writer for the comparison benchmark
set -euo pipefail
want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libcairo2 fontconfig)
case "${1:-run}" in
  run) ;;
  test) want+=(poppler-utils chromium fonts-tlwg-laksaman faketime libreoffice-writer-nogui redis-server) ;;
  bench) want+=(poppler-utils libreoffice-writer-nogui) ;;
  *) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "formsvc needs these system packages: ${missing[*]} (install them with your package manager)" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing system packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
