"""Named places where a crash test may stop a process on purpose.

``reached(name)`` does nothing unless the environment variable FORMSVC_TEST_PAUSE_AT
equals ``name``. Then it writes the process id to the file named by
FORMSVC_TEST_PAUSE_FILE and sleeps, so the test knows the process is exactly here (for
the project import: inside its transaction, half the new rows written) when it kills it.
Only tests set these variables.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def reached(name: str) -> None:
    if os.environ.get("FORMSVC_TEST_PAUSE_AT") != name:
        return
    marker = os.environ.get("FORMSVC_TEST_PAUSE_FILE")
    if marker:
        Path(marker).write_text(str(os.getpid()))
    time.sleep(float(os.environ.get("FORMSVC_TEST_PAUSE_SECONDS", "120")))
