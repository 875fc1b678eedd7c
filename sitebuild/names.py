"""The names the build shares with the browser's scripts, read from ``names.json`` (kept once).

``BROWSER`` holds the values the scripts use: ``protocol.js`` exports each of them for the
ES modules (``tests/js/names.test.mjs`` compares the two as objects), and the finish step
fills them into the classic scripts and the service worker (:mod:`sitebuild.finish_offline`).
The module-level constants are the same values, typed, for the Python side.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

NAMES_FILE = Path(__file__).with_name("names.json")
NAMES: dict[str, Any] = json.loads(NAMES_FILE.read_text(encoding="utf-8"))
BROWSER: dict[str, Any] = NAMES["browser"]

EARLY_GLOBAL: str = BROWSER["EARLY_GLOBAL"]
EARLY_INIT_ID: int = BROWSER["EARLY_INIT_ID"]
WORKER_NAME: str = BROWSER["WORKER_NAME"]
WORKER_START_GLOBAL: str = BROWSER["WORKER_START_GLOBAL"]
RUNTIME_META: str = BROWSER["RUNTIME_META"]
STDLIB_FILE: str = BROWSER["STDLIB_FILE"]
MANIFEST_PATH: str = BROWSER["MANIFEST_PATH"]
ENGINE_SETTLED_EVENT: str = BROWSER["ENGINE_SETTLED"]["event"]
ENGINE_SETTLED_ATTRIBUTE: str = BROWSER["ENGINE_SETTLED"]["attribute"]
ENGINE_WAIT_MAX_MS: int = BROWSER["ENGINE_WAIT_MAX_MS"]
OFFLINE_DWELL_MS: int = BROWSER["OFFLINE_DWELL_MS"]
EARLY_SCRIPT: str = NAMES["scripts"]["early"]
WORKER_SCRIPT: str = NAMES["scripts"]["worker"]
WORKER_START_SCRIPT: str = NAMES["scripts"]["worker_start"]
BUNDLE_NAME: str = NAMES["bundle_name"]
CACHE_PREFIX: str = NAMES["cache_prefix"]
VERSIONED_DIR_PATTERN: str = NAMES["versioned_dir_pattern"]
HASHED_NAME_PATTERN: str = NAMES["hashed_name_pattern"]
