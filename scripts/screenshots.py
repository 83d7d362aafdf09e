#!/usr/bin/env python
"""Refresh the README's screenshots (docs/screenshots/contract.png, deadlines.png).

Runs the browser test (tests/service/test_web_browser.py: a real `payerlens serve` on a free
port, Debian's Chromium driven headless by Playwright) with PAYERLENS_UPDATE_SCREENSHOTS=1, which
copies those two of its screenshots into docs/screenshots/. Every page's screenshot stays in
tests/artifacts/screens/. Needs /usr/bin/chromium (scripts/install-browser) and the dev extras.

    python scripts/screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    env = {**os.environ, "PAYERLENS_UPDATE_SCREENSHOTS": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-s", "tests/service/test_web_browser.py"]
    return subprocess.call(command, cwd=REPO, env=env)


if __name__ == "__main__":
    sys.exit(main())
