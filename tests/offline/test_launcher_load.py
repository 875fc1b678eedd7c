"""The launcher holds a classroom: 200 simultaneous requests, then 30 simultaneous cold visits.

The bundle's own launcher (``serve.py``, as a teacher starts it) serves the built site; this
process plays the room, on 127.0.0.1 only. Bounded: a fixed number of requests, a timeout on
each connection, every thread joined. Each answer is checked (status 200, and the bytes of the
build's file, by SHA-256), so a dropped, refused, reset or damaged request is a failure.
Latencies are printed (p50, p95, max); no time is asserted, since a shared test machine's
speed is not the launcher's.

A cold visit is what a browser with an empty cache does on its first visit: the page, then
every file of the site (the service worker stores the whole copy for offline use), six at a
time over keep-alive connections, with ``Accept-Encoding: gzip``.
"""

# ruff: noqa: T201 - the load figures are printed for the record (no time is asserted).

from __future__ import annotations

import gzip
import hashlib
import http.client
import json
import threading
import time
from dataclasses import dataclass, field

import pytest

SIMULTANEOUS_REQUESTS = 200
VISITORS = 30
CONNECTIONS_PER_VISITOR = 6  # what browsers open per host
CONNECT_TIMEOUT_S = 60.0
JOIN_TIMEOUT_S = 120.0
# Part 1 asks for the pages and the smaller files (under this size) in turn: it is about the
# number of connections arriving at once, not bandwidth.
SMALL_FILE_BYTES = 1_000_000


@dataclass
class Tally:
    """Latencies (seconds) and failures, from many threads."""

    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self, seconds: float) -> None:
        """Record a good answer."""
        with self.lock:
            self.latencies.append(seconds)

    def fail(self, what: str) -> None:
        """Record a failed request."""
        with self.lock:
            self.failures.append(what)


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _summary(name: str, tally: Tally, count: int, noun: str = "requests") -> str:
    lat = tally.latencies
    if not lat:
        return f"{name}: {count} {noun}, {len(tally.failures)} failed, no answer to time"
    return (
        f"{name}: {count} {noun}, {len(tally.failures)} failed; latency "
        f"p50 {_percentile(lat, 50) * 1000:.0f} ms, p95 {_percentile(lat, 95) * 1000:.0f} ms, "
        f"max {max(lat) * 1000:.0f} ms"
    )


@pytest.fixture(scope="module")
def room(bundle, make_launcher):
    """The bundle's launcher as started by default (CSP on, 127.0.0.1)."""
    server = make_launcher(bundle.folder)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def files(bundle):
    """{path: (bytes, sha256)} of every file of the site, the manifest included."""
    manifest_path = bundle.site / "assets/offline/manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    found = {e["path"]: (e["bytes"], e["sha256"]) for e in manifest["files"]}
    data = manifest_path.read_bytes()
    found["assets/offline/manifest.json"] = (len(data), hashlib.sha256(data).hexdigest())
    return found


def _check(files, rel: str, status: int, body: bytes, encoding: str | None) -> str:
    """Why an answer is wrong, or ""."""
    if status != 200:
        return f"{rel}: HTTP {status}"
    if encoding == "gzip":
        body = gzip.decompress(body)
    size, sha256 = files[rel]
    if len(body) != size or hashlib.sha256(body).hexdigest() != sha256:
        return f"{rel}: {len(body)} bytes that are not the build's file"
    return ""


def _run_threads(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + JOIN_TIMEOUT_S
    for thread in threads:
        thread.join(timeout=max(0.1, deadline - time.monotonic()))
    stuck = [t.name for t in threads if t.is_alive()]
    assert not stuck, f"{len(stuck)} client threads still waiting after {JOIN_TIMEOUT_S} s"


def test_launcher_answers_200_simultaneous_requests(room, files, capsys):
    """200 connections opened at the same moment, one request each: every one answered."""
    small = sorted(rel for rel, (size, _) in files.items() if size < SMALL_FILE_BYTES)
    pages = [rel for rel in small if rel.endswith(".html")]
    order = pages + [rel for rel in small if rel not in pages]
    tally = Tally()
    start = threading.Barrier(SIMULTANEOUS_REQUESTS)

    def one(rel: str) -> None:
        try:
            start.wait(timeout=JOIN_TIMEOUT_S)
            t0 = time.monotonic()
            conn = http.client.HTTPConnection("127.0.0.1", room.port, timeout=CONNECT_TIMEOUT_S)
            try:
                conn.request("GET", "/" + rel)
                response = conn.getresponse()
                body = response.read()
            finally:
                conn.close()
            encoding = response.getheader("Content-Encoding")
            problem = _check(files, rel, response.status, body, encoding)
            if problem:
                tally.fail(problem)
            else:
                tally.ok(time.monotonic() - t0)
        except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
            tally.fail(f"{rel}: {exc!r}")

    _run_threads(
        [
            threading.Thread(target=one, args=(order[i % len(order)],), name=f"request-{i}")
            for i in range(SIMULTANEOUS_REQUESTS)
        ]
    )
    with capsys.disabled():
        print(f"\nlauncher load, {_summary('simultaneous requests', tally, SIMULTANEOUS_REQUESTS)}")
    assert tally.failures == [], tally.failures[:10]
    assert len(tally.latencies) == SIMULTANEOUS_REQUESTS


def _fetch_all(port: int, files, queue: list[str], lock, *, tally: Tally, label: str) -> list[str]:
    """One keep-alive connection taking paths off ``queue``; returns the paths that failed."""
    failed: list[str] = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=CONNECT_TIMEOUT_S)
    try:
        while True:
            with lock:
                if not queue:
                    return failed
                rel = queue.pop(0)
            t0 = time.monotonic()
            try:
                conn.request("GET", "/" + rel, headers={"Accept-Encoding": "gzip"})
                response = conn.getresponse()
                body = response.read()
            except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                failed.append(rel)
                tally.fail(f"{label}, {rel}: {exc!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=CONNECT_TIMEOUT_S)
                continue
            problem = _check(
                files, rel, response.status, body, response.getheader("Content-Encoding")
            )
            if problem:
                failed.append(rel)
                tally.fail(f"{label}, {problem}")
            else:
                tally.ok(time.monotonic() - t0)
    finally:
        conn.close()


def _cold_visit(port: int, files, paths: list[str], per_file: Tally, label: str) -> bool:
    """The page first, then every file, over six connections; True if all came back right."""
    queue = list(paths)
    lock = threading.Lock()
    failed: list[str] = []

    def connection() -> None:
        failed.extend(_fetch_all(port, files, queue, lock, tally=per_file, label=label))

    workers = [threading.Thread(target=connection) for _ in range(CONNECTIONS_PER_VISITOR)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=JOIN_TIMEOUT_S)
    return not failed and not any(w.is_alive() for w in workers)


def test_launcher_answers_30_simultaneous_cold_visits(room, files, capsys):
    """30 first visits at once, each the page then every file over six connections."""
    paths = ["oral/index.html", *sorted(files)]
    per_file = Tally()
    visits = Tally()
    start = threading.Barrier(VISITORS)

    def visit(number: int) -> None:
        try:
            start.wait(timeout=JOIN_TIMEOUT_S)
        except threading.BrokenBarrierError:
            visits.fail(f"visitor {number}: never started")
            return
        t0 = time.monotonic()
        if _cold_visit(room.port, files, paths, per_file, f"visitor {number}"):
            visits.ok(time.monotonic() - t0)
        else:
            visits.fail(f"visitor {number}")

    started = time.monotonic()
    _run_threads(
        [threading.Thread(target=visit, args=(n,), name=f"visitor-{n}") for n in range(VISITORS)]
    )
    elapsed = time.monotonic() - started
    requests = VISITORS * len(paths)
    with capsys.disabled():
        print(
            f"\nlauncher load, {_summary('cold visits, per file', per_file, requests)}"
            f"\nlauncher load, {_summary('cold visits, whole visit', visits, VISITORS, 'visits')}"
            f" ({len(paths)} files each, all {VISITORS} done in {elapsed:.1f} s)"
        )
    assert per_file.failures == [], per_file.failures[:10]
    assert visits.failures == []
    assert len(per_file.latencies) == requests
