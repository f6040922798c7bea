"""How the browser tests (tests/e2e) and scripts/screenshots.py start Chromium: Debian's
/usr/bin/chromium (or $CHROMIUM), headless, without a sandbox (CI runs as root) and without any
network of its own (updates, sync, QUIC): a run reaches nothing but the served product."""

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
