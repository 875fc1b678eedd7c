"""Debian's Chromium as the tests and the benchmark drive it: one place for the path and flags.

Playwright cannot download its own browsers here, so everything launches /usr/bin/chromium
(`apt-get install chromium`; `.ci/run` installs it). The background-networking flags keep
Chromium from calling home: this machine's network is closed and every such call is refused.
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
