"""The leaderboard fragment served by gunicorn, against a trivial endpoint of the same app.

    .venv/bin/python bench/leaderboard.py            # SQLite in a temporary file
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/leaderboard.py

Seeds 2,000 units in 40 clusters × 60 sub-criteria × 3 council members into a fresh database
(bench/seed.py; a few sheets are left approved but unpublished), starts gunicorn with
gunicorn.conf.py (2 gthread workers, APP_ENV=production) on a free loopback port, and with a
bounded load generator (8 threads with one keep-alive http.client connection each; the
scenarios take 3 turns of 2 s each, after a warm-up, so that other work on the machine weighs
on them alike) measures requests/s and p50/p95 latency of:
  (a) health        GET /healthz: one SELECT 1 and a small JSON answer
  (b) board         GET …/standings/fragment?kind=official&v=warm: a version that never
                    matches, so the whole board (2,000 rows), rendered once and served from
                    the cache
  (c) poll          the same with the current version token: 204, nothing changed
  (d) after change  one approved sheet published through emulation.sheets.advance in this
                    process and committed (the commit deletes the cached token), then the
                    first fragment that answers 200 to the previous token: recompute and
                    render. One request at a time, repeated for several changes.
For where the time goes it also prints, without counting them in the ratios: one cluster's
fragment under the same load as (b) (same code path, a 40th of the bytes), the first
fragment when 8 pollers ask at once after a change, CPU per request of the gunicorn workers,
of Redis and of this process, and the parts of (d) timed in this process.

The cache is Redis (db 15 of 127.0.0.1:6379, flushed first) when it answers there, shared by
the server and this process; otherwise each process has its own, a worker keeps an old token
for STANDINGS_TOKEN_TTL seconds, and (d) waits that long before reading the previous token
and then polls it every 50 ms until a 200 arrives (only the 200 is timed; the wait is
reported apart). BENCH_REDIS=0 picks the per-process cache even where Redis answers.

The last line is `leaderboard_ratio=<b/a> poll_ratio=<c/a>` in requests/s (goals ≥ 0.5 and
≥ 0.8).
"""

from __future__ import annotations

import gzip
import html
import http.client
import math
import os
import pickle
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from flask import render_template
from seed import ROOT, fresh_database, make_app, seed, timed
from sqlalchemy import select

from emulation.accounts.models import User
from emulation.campaigns.models import Campaign
from emulation.core.extensions import cache, db
from emulation.scoring import sheets
from emulation.scoring.models import ScoreSheet, Stage
from emulation.scoring.totals import stage_totals
from emulation.standings import service as standings
from emulation.units.models import Cluster
from emulation.web.standings import _context

CONCURRENCY = 8
WARMUP_S = 1.5  # before a scenario's first round
ROUNDS = 3  # the scenarios take turns, so that other work on the machine hits them alike
ROUND_S = 2.0  # measured per round, after ROUND_WARMUP_S on new connections
ROUND_WARMUP_S = 0.3
CHANGES = 15  # (d): sheets published one at a time, each timed alone
BURSTS = 3  # then published with CONCURRENCY pollers asking at once
SLUG = "quy-mo-lon"
REDIS = ("127.0.0.1", 6379, 15)
FRAGMENT = f"/campaigns/{SLUG}/standings/fragment?kind=official"
# Like a browser (they all accept gzip): the board is kept and sent compressed.
BROWSER = {"Accept-Encoding": "gzip"}
HX_GET = re.compile(r'<div id="board"[^>]*?hx-get="([^"]*)"')


@dataclass
class Figures:
    name: str
    requests: int
    concurrency: int
    seconds: float
    latencies: list[float]  # seconds
    size: int  # body bytes of a response
    errors: int = 0
    cpu: dict[str, float] | None = None  # CPU seconds meanwhile: workers, Redis, this process
    rounds: list[float] | None = None  # requests/s of each round, when interleaved

    def __add__(self, other: Figures) -> Figures:
        """Two rounds of the same scenario as one."""
        cpu = {k: v + (other.cpu or {}).get(k, 0) for k, v in (self.cpu or {}).items()}
        return Figures(
            self.name,
            self.requests + other.requests,
            self.concurrency,
            self.seconds + other.seconds,
            self.latencies + other.latencies,
            max(self.size, other.size),
            self.errors + other.errors,
            cpu,
            (self.rounds or [self.rps]) + (other.rounds or [other.rps]),
        )

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Nearest rank."""
        ordered = sorted(self.latencies)
        if not ordered:
            return math.nan
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    def line(self) -> str:
        text = (
            f"{self.name:<17} requests={self.requests:<5} concurrency={self.concurrency} "
            f"rps={self.rps:7.1f}  p50={self.percentile(50) * 1000:7.2f} ms  "
            f"p95={self.percentile(95) * 1000:7.2f} ms  size={self.size} B"
        )
        if self.cpu and self.requests:
            text += "  cpu ms/req: " + " ".join(
                f"{part}={seconds / self.requests * 1000:.2f}" for part, seconds in self.cpu.items()
            )
        if self.rounds:
            text += "  rounds rps: " + "/".join(f"{r:.0f}" for r in self.rounds)
        if self.errors:
            text += f"  ERRORS={self.errors}"
        return text


# --- the server and Redis ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_command(*commands: str) -> list[bytes]:
    """Inline commands to the benchmark's Redis database; one raw reply each (status, error,
    integer or bulk string)."""
    host, port, number = REDIS
    with socket.create_connection((host, port), timeout=2) as sock:
        sock.sendall("".join(f"{c}\r\n" for c in (f"SELECT {number}", *commands)).encode())
        stream = sock.makefile("rb")
        replies = []
        for _ in range(len(commands) + 1):
            line = stream.readline()
            if line.startswith(b"$"):
                line = stream.read(int(line[1:]) + 2)[:-2]
            replies.append(line)
        return replies[1:]


def redis_answers() -> bool:
    try:
        return redis_command("PING") == [b"+PONG\r\n"]
    except OSError:
        return False


def redis_cpu() -> float:
    """User + system CPU seconds of the Redis server so far (every client of it counts)."""
    info = dict(
        line.split(":", 1) for line in redis_command("INFO cpu")[0].decode().split() if ":" in line
    )
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def get(port: int, path: str, timeout: float = 60) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=BROWSER)
        response = conn.getresponse()
        body = response.read()
        if response.getheader("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response.status, body
    finally:
        conn.close()


class Server:
    """gunicorn with the project's gunicorn.conf.py, in a session of its own so that a
    Ctrl-C here does not reach it half-way: stop() always ends it."""

    def __init__(self, port: int, env: dict[str, str], log: Path):
        self.port = port
        self.log = log
        self._log_file = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:create_app()"],
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode})")
            try:
                if get(self.port, "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:.0f} s")

    def workers(self) -> list[int]:
        pids = []
        for children in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            pids += [int(pid) for pid in children.read_text().split()]
        return pids

    def cpu(self) -> tuple[float, float] | None:
        """User and system CPU seconds of the workers so far (None without /proc)."""
        try:
            user = system = 0
            for pid in self.workers():
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                user, system = user + int(fields[11]), system + int(fields[12])
            ticks = os.sysconf("SC_CLK_TCK")
            return user / ticks, system / ticks
        except (OSError, ValueError, IndexError):
            return None

    def tail(self, lines: int = 30) -> str:
        self._log_file.flush()
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            except ProcessLookupError:
                pass
        self._log_file.close()


class Meter:
    """CPU seconds spent between two readings, by part: the gunicorn workers (and how much
    of it in the kernel), Redis (when used) and this process."""

    def __init__(self, server: Server, shared: bool):
        self.server = server
        self.shared = shared

    def read(self) -> dict[str, float]:
        found = {}
        server = self.server.cpu()
        if server is not None:
            found["server"] = sum(server)
            found["server_sys"] = server[1]  # of it, in the kernel
        if self.shared:
            found["redis"] = redis_cpu()
        found["bench"] = time.process_time()
        return found

    @staticmethod
    def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        return {part: after[part] - before[part] for part in before if part in after}


# --- the load generator -----------------------------------------------------------------------


def load(
    meter: Meter,
    name: str,
    path: str,
    expect: int,
    *,
    concurrency: int = CONCURRENCY,
    warmup: float = WARMUP_S,
    duration: float = ROUND_S,
) -> Figures:
    """`concurrency` threads, each on its own keep-alive connection, request `path` back to
    back: `warmup` seconds unrecorded, then `duration` seconds recorded (requests started
    in that window, waited for to the end)."""
    port = meter.server.port
    connections = [
        http.client.HTTPConnection("127.0.0.1", port, timeout=60) for _ in range(concurrency)
    ]
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    sizes = [0] * concurrency
    finished = [0.0] * concurrency
    now = time.perf_counter() + 0.1
    measure, end = now + warmup, now + warmup + duration

    def worker(i: int) -> None:
        conn = connections[i]
        while (started := time.perf_counter()) < end:
            try:
                conn.request("GET", path, headers=BROWSER)
                response = conn.getresponse()
                body = response.read()
                ok = response.status == expect
            except (OSError, http.client.HTTPException):
                conn.close()  # and connects again on the next request
                ok, body = False, b""
            if started >= measure:
                latencies[i].append(time.perf_counter() - started)
                sizes[i] = len(body)
                errors[i] += not ok
        finished[i] = time.perf_counter()
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, measure - time.perf_counter()))
    before = meter.read()
    for thread in threads:
        thread.join()
    after = meter.read()
    everything = [x for part in latencies for x in part]
    return Figures(
        name,
        len(everything),
        concurrency,
        max(finished) - measure,
        everything,
        max(sizes),
        sum(errors),
        Meter.spent(before, after),
    )


def board_token(port: int, path: str = FRAGMENT) -> str:
    """The version the board shows, from its root's hx-get."""
    status, body = get(port, path)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    found = HX_GET.search(body.decode())
    if found is None:
        raise RuntimeError("no hx-get on the board's root")
    query = html.unescape(found.group(1)).split("?", 1)[1]
    return dict(part.split("=", 1) for part in query.split("&"))["v"]


# --- (d) score changes ------------------------------------------------------------------------


class Changes:
    """Publishes the approved sheets one at a time, as the standing office would, through
    the product's domain code in this process."""

    def __init__(self, app, meter: Meter):
        self.app = app
        self.meter = meter
        self.port = meter.server.port
        self.shared = meter.shared
        self.ttl = app.config["STANDINGS_TOKEN_TTL"]
        with app.app_context():
            admin = User(username="bench-admin", role="admin", full_name="Thường trực (bench)")
            admin.set_password("bench-password")
            db.session.add(admin)
            db.session.commit()
            self.admin_id = admin.id

    def publish_next(self) -> None:
        """One approved sheet published and committed; the commit deletes the cached token."""
        with self.app.app_context():
            sheet = db.session.scalars(
                select(ScoreSheet)
                .where(ScoreSheet.stage == Stage.APPROVED)
                .order_by(ScoreSheet.id)
                .limit(1)
            ).one()
            sheets.advance(sheet, db.session.get(User, self.admin_id))
            db.session.commit()

    def previous_token(self) -> str:
        if not self.shared:  # let every worker's cached token catch up with the last change
            time.sleep(self.ttl + 0.2)
        return board_token(self.port)

    def one_at_a_time(self, changes: int) -> tuple[Figures, list[float]]:
        """The first fragment answering 200 to the previous version after each change; and,
        per change, the seconds from the commit until that request was sent."""
        latencies, waits, size, errors = [], [], 0, 0
        spent: dict[str, float] = {}
        for _ in range(changes):
            previous = self.previous_token()
            self.publish_next()  # this process's CPU for it is left out of the figures
            committed = time.perf_counter()
            published = self.meter.read()
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            while True:
                started = time.perf_counter()
                conn.request("GET", f"{FRAGMENT}&v={previous}", headers=BROWSER)
                response = conn.getresponse()
                body = response.read()
                done = time.perf_counter()
                if response.status == 200:
                    break
                if response.status != 204 or self.shared or done - committed > 30:
                    errors += 1
                    break
                time.sleep(0.05)
            conn.close()
            for part, seconds in Meter.spent(published, self.meter.read()).items():
                spent[part] = spent.get(part, 0) + seconds
            latencies.append(done - started)
            waits.append(started - committed)
            size = len(body)
        figures = Figures(
            "(d) after change", changes, 1, sum(latencies), latencies, size, errors, spent
        )
        return figures, waits

    def _ask(self, path: str, gate: threading.Barrier, results: list) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.connect()
        gate.wait()
        started = time.perf_counter()
        conn.request("GET", path, headers=BROWSER)
        response = conn.getresponse()
        body = response.read()
        results.append((response.status, time.perf_counter() - started, len(body)))
        conn.close()

    def all_at_once(self, changes: int, pollers: int = CONCURRENCY) -> Figures:
        """After each change, `pollers` ask at once with the previous version: how many of
        them recompute the board (CPU per change) and how long the first fragment takes."""
        latencies: list[float] = []
        errors = size = 0
        spent: dict[str, float] = {}
        seconds = 0.0
        for _ in range(changes):
            previous = self.previous_token()
            self.publish_next()
            if not self.shared:
                time.sleep(self.ttl + 0.2)
            results: list[tuple[int, float]] = []
            gate = threading.Barrier(pollers + 1)
            path = f"{FRAGMENT}&v={previous}"
            threads = [
                threading.Thread(target=self._ask, args=(path, gate, results), daemon=True)
                for _ in range(pollers)
            ]
            for thread in threads:
                thread.start()
            before = self.meter.read()
            started = time.perf_counter()
            gate.wait()
            for thread in threads:
                thread.join()
            seconds += time.perf_counter() - started
            for part, cpu in Meter.spent(before, self.meter.read()).items():
                spent[part] = spent.get(part, 0) + cpu
            latencies += [latency for _, latency, _ in results]
            errors += sum(status != 200 for status, _, _ in results)
            size = max(size for _, _, size in results)
        return Figures(
            "(d') 8 at once", len(latencies), pollers, seconds, latencies, size, errors, spent
        )


def parts_of_a_change(app, token: str) -> None:
    """What the first fragment after a change does, timed in this process (median of 3, each
    in a new session): compute the board, pickle it for the cache, render the fragment; and
    the cached fragment's size, compressed and read back from the cache."""

    def fresh() -> Campaign:  # a new session, as a request has: nothing loaded yet
        db.session.remove()
        return db.session.scalars(select(Campaign).where(Campaign.slug == SLUG)).one()

    def compute():
        campaign = fresh()
        return campaign, standings.compute_board(campaign, standings.OFFICIAL, token)

    def totals():
        return stage_totals(fresh(), Stage.COUNCIL)

    def members():
        return [m.unit_id for c in fresh().clusters for m in c.members]

    with app.test_request_context(FRAGMENT):
        compute_s, (campaign, board) = timed(compute, repeat=3)
        totals_s, _ = timed(totals, repeat=3)
        members_s, _ = timed(members, repeat=3)
        pickle_s, pickled = timed(lambda: pickle.dumps(board, pickle.HIGHEST_PROTOCOL), 3)
        context = _context(campaign, standings.OFFICIAL, board, None)
        render_s, page = timed(lambda: render_template("standings/_board.html", **context), 3)
        encoded = page.encode()
        gzip_s, packed = timed(lambda: zlib.compress(encoded, 6), 3)
        key = f"standings:html:{campaign.id}:{standings.OFFICIAL}:None:vi:{token}"
        read_s, found = timed(lambda: cache.get(key), 5)
        cache_kind = type(cache.cache).__name__
    print(
        f"(d) in this process: compute_board {compute_s * 1000:.0f} ms (of which "
        f"stage_totals {totals_s * 1000:.0f} ms, loading clusters and their members "
        f"{members_s * 1000:.0f} ms), pickle the board "
        f"{pickle_s * 1000:.1f} ms ({len(pickled)} B), render _board.html "
        f"{render_s * 1000:.0f} ms"
    )
    print(
        f"(b) the fragment: {len(encoded)} B, {len(encoded) // max(board.units, 1)} B per row; "
        f"zlib level 6 → {len(packed)} B in {gzip_s * 1000:.1f} ms"
        + (
            f"; cache.get of it from {cache_kind} here: {read_s * 1000:.2f} ms"
            if found is not None
            else ""
        )
    )


# --- the run ----------------------------------------------------------------------------------


def main() -> None:
    shared = os.environ.get("BENCH_REDIS", "1") != "0" and redis_answers()
    redis_url = "redis://{}:{}/{}".format(*REDIS) if shared else None
    settings = {"APP_ENV": "production", "SECRET_KEY": "bench", "HTMX_SOURCE": "local"}
    os.environ.update(settings)  # this process's app reads the same environment
    if shared:
        os.environ["REDIS_URL"] = redis_url
        redis_command("FLUSHDB")
    else:
        os.environ.pop("REDIS_URL", None)
    with fresh_database() as url:
        app = make_app(url)
        started = time.perf_counter()
        with app.app_context():
            db.create_all()
            seeded = seed(approved=CHANGES + BURSTS)
            dialect = db.engine.dialect.name
        print(f"database: {dialect}")
        print(
            f"seeded: {seeded.units} units in {seeded.clusters} clusters, {seeded.leaves} "
            f"sub-criteria, {len(seeded.council)} council members, {seeded.entries} score "
            f"entries; {CHANGES + BURSTS} sheets approved, not published "
            f"({time.perf_counter() - started:.0f} s)"
        )
        if shared:
            print(f"cache: Redis {redis_url} (flushed), shared by the workers and this process")
        else:
            print(
                "cache: per-process SimpleCache (no Redis, or BENCH_REDIS=0); a worker "
                f"keeps a version token up to {app.config['STANDINGS_TOKEN_TTL']} s"
            )
        port = free_port()
        env = dict(os.environ)
        env.update(
            {"DATABASE_URL": url, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}
        )
        with tempfile.TemporaryDirectory(prefix="thidua-bench-log-") as folder:
            server = Server(port, env, Path(folder) / "gunicorn.log")
            try:
                server.wait_ready()
                print(
                    f"server: gunicorn -c gunicorn.conf.py on 127.0.0.1:{port}, "
                    f"{len(server.workers())} workers (gthread, "
                    f"{env.get('GUNICORN_THREADS', '4')} threads each, access log on)"
                )
                print(
                    f"load: {CONCURRENCY} threads with a keep-alive connection each; the "
                    f"scenarios take {ROUNDS} turns of {ROUND_S:.0f} s measured "
                    f"({WARMUP_S:.1f} s warm-up before the first, {ROUND_WARMUP_S:.1f} s before "
                    "the others)"
                )
                run(app, Meter(server, shared))
            except Exception:
                print(f"--- gunicorn log, last lines ---\n{server.tail()}", file=sys.stderr)
                raise
            finally:
                server.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def run(app, meter: Meter) -> None:
    port = meter.server.port
    started = time.perf_counter()
    board_token(port)  # the first board: computed and rendered once, then cached
    first = time.perf_counter() - started
    with app.app_context():
        cluster = db.session.scalars(select(Cluster.id).order_by(Cluster.id).limit(1)).one()
    scenarios = {
        "(a) health": ("/healthz", 200),
        "(b) board": (f"{FRAGMENT}&v=warm", 200),
        "(c) poll": (f"{FRAGMENT}&v={board_token(port)}", 204),
        "(b') one cluster": (f"{FRAGMENT}&cluster={cluster}&v=warm", 200),
    }
    measured: dict[str, Figures] = {}
    for turn in range(ROUNDS):
        for name, (path, expect) in scenarios.items():
            figures = load(meter, name, path, expect, warmup=ROUND_WARMUP_S if turn else WARMUP_S)
            measured[name] = measured[name] + figures if name in measured else figures
    health, board, poll, one_cluster = measured.values()
    for figures in measured.values():
        print(figures.line())
    print(f"(b') is (b)'s code path for one cluster (cluster={cluster}): 50 rows instead of 2,000")
    changes = Changes(app, meter)
    changed, waits = changes.one_at_a_time(CHANGES)
    print(changed.line())
    print(
        f"(d') {BURSTS} changes, each followed by {CONCURRENCY} pollers asking at once with "
        "the previous version (server cpu/req × 8 = CPU per change)"
    )
    print(changes.all_at_once(BURSTS).line())
    print(f"first board after start-up (empty cache): {first * 1000:.0f} ms")
    if not meter.shared:
        waits.sort()
        print(
            f"(d) waited {changes.ttl + 0.2:.1f} s before reading the previous token, then "
            "polled it every 50 ms until a 200 (only that request timed): visible after "
            f"p50={waits[len(waits) // 2] * 1000:.0f} ms max={waits[-1] * 1000:.0f} ms"
        )
    parts_of_a_change(app, board_token(port))
    print(
        f"(b) moves {board.size * board.rps / 1e6:.0f} MB/s, "
        f"{board.size / max(health.size, 1):.0f}× the bytes of (a) per request"
    )
    print(f"leaderboard_ratio={board.rps / health.rps:.2f} poll_ratio={poll.rps / health.rps:.2f}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
