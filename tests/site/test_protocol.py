"""``docs/assets/js/protocol.js``: the one definition of the messages the scripts exchange.

The page <-> calculators-worker scripts import it; the service worker and the classic
scripts that talk to it (``assets/offline/``) cannot import an ES module (a classic
service worker and classic page scripts), so their message types are checked against it
here: a type spelled in one place and not the other fails.
"""

from __future__ import annotations

import re
from pathlib import Path

from sitebuild import finish_head as early, prepare

REPO = Path(__file__).resolve().parents[2]
JS = REPO / "docs" / "assets" / "js"
OFFLINE = REPO / "docs" / "assets" / "offline"
PROTOCOL = (JS / "protocol.js").read_text("utf-8")


def frozen(name: str) -> dict[str, str]:
    """``export const NAME = Object.freeze({key: "value", ...})`` from protocol.js."""
    body = re.search(rf"export const {name} = Object\.freeze\(\{{(.*?)\}}\);", PROTOCOL, re.DOTALL)
    assert body, f"{name} not found in protocol.js"
    return dict(re.findall(r"(\w+): \"([^\"]+)\"", body[1]))


def test_worker_message_types_are_the_protocols() -> None:
    """Worker and client name their messages through protocol.js, never as loose strings."""
    requests, replies = frozen("REQUEST"), frozen("REPLY")
    assert set(requests.values()) == {"init", "run", "locale"}
    assert set(replies.values()) == {"ready", "result", "failure", "locale"}
    for name in ("calculator-worker.js", "calculator-client.js"):
        text = (JS / name).read_text("utf-8")
        assert 'from "./protocol.js"' in text, name
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.DOTALL)  # comments and JSDoc out
        found = re.findall(r"type: \"(\w+)\"|type [!=]== \"(\w+)\"", code)
        # {type: "module"} is a Worker option, not a message.
        loose = [t for pair in found for t in pair if t and t != "module"]
        assert loose == [], (name, loose)


def test_service_worker_message_types_are_the_protocols() -> None:
    """Every message type the offline scripts post or test is one protocol.js defines."""
    defined = set(frozen("SW_MESSAGE").values())
    used: set[str] = set()
    for path in sorted(OFFLINE.glob("*.js")):
        # Not a message: clients.matchAll({type: "window"}) names a kind of client.
        text = re.sub(r"matchAll\(\{[^}]*\}\)", "", path.read_text("utf-8"))
        used |= set(re.findall(r"type: \"([a-z-]+)\"", text))
        used |= set(re.findall(r"\.type [!=]==? \"([a-z-]+)\"", text))
    assert used, "no message types found in assets/offline/*.js"
    assert used <= defined, used - defined
    assert defined <= used, defined - used  # nothing defined that nobody sends


def test_engine_settled_signal_is_spelled_the_same_on_both_sides() -> None:
    """calculators.js sends ENGINE_SETTLED through protocol.js; register.js spells its names.

    So does the inline early start (sitebuild/finish_head.py), whose search-index gate waits for it.
    """
    settled = frozen("ENGINE_SETTLED")
    assert set(settled) == {"event", "attribute"}
    calculators = (JS / "calculators.js").read_text("utf-8")
    assert re.search(r"import \{[^}]*\bENGINE_SETTLED\b[^}]*\} from \"\./protocol\.js\"", calculators)
    register = (OFFLINE / "register.js").read_text("utf-8")
    assert f'var ENGINE_SETTLED_EVENT = "{settled["event"]}";' in register
    assert f'var ENGINE_SETTLED_ATTRIBUTE = "{settled["attribute"]}";' in register
    assert (
        settled["event"],
        settled["attribute"],
    ) == (early.ENGINE_SETTLED_EVENT, early.ENGINE_SETTLED_ATTRIBUTE)
    assert f'document.addEventListener("{settled["event"]}",O);' in early.EARLY_INLINE
    assert f'hasAttribute("{settled["attribute"]}")' in early.EARLY_INLINE


def test_worker_names_the_builds_standard_library_as_prepare_writes_it() -> None:
    """calculator-worker.js finds the build's python_stdlib.zip beside the lock file by name."""
    worker = (JS / "calculator-worker.js").read_text("utf-8")
    assert f'const STDLIB_FILE = "{prepare.STDLIB_FILE}";' in worker
    assert "stdLibURL: new URL(STDLIB_FILE, config.lockFileURL).href," in worker
