#!/usr/bin/env bash
# Regenerate requirements.lock: every package formsvc, its test and bench extras need,
# at one exact version each, resolved from pyproject.toml by pip-tools' pip-compile.
#   scripts/lock.sh                      keep the current pins where pyproject allows them
#   scripts/lock.sh --upgrade-package weasyprint   move one package (see docs/upgrading.md)
#   scripts/lock.sh --upgrade            move everything to the newest allowed versions
# `make run` and `make test` install from the lock (pip -c), so a new lock reinstalls.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
TOOLS=.cache/pip-tools
if [ ! -x "$TOOLS/bin/pip-compile" ]; then
  "$PYTHON" -m venv "$TOOLS"
  "$TOOLS/bin/python" -m pip install -q --upgrade pip 'pip-tools==7.6.2'
fi
# No index or find-links lines: the lock names versions, not where this machine gets them.
"$TOOLS/bin/pip-compile" -q --all-extras --strip-extras --no-emit-index-url --no-emit-find-links \
  --output-file requirements.lock "$@" pyproject.toml
echo "requirements.lock: $(grep -c '==' requirements.lock) packages pinned"
