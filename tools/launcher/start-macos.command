#!/bin/sh
# Double-click in Finder to serve the baclofen dosing site on this Mac and open it in the browser.
# The first time, macOS may refuse to open it: Control-click it, choose Open, then Open again.
# Needs python3 (macOS offers to install it the first time "python3" is run). Close the window to stop.
cd "$(dirname "$0")" || exit 1
if command -v python3 >/dev/null 2>&1; then
  exec python3 serve.py "$@"
fi
echo "python3 was not found. Install Python 3 (3.9 or newer), then double-click this file again."
echo "Meanwhile you can read the pages by opening site/index.html; the calculators need Python."
read -r _
