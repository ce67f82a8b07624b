"""`oversight benchmark load`: the main pages under load from concurrent signed-in readers, on
a whole parliament's register. Prints figures; asserts nothing.

The register is built (app.scale.register) or reused, served by `oversight serve --workers N`
in a child process, and CLIENTS threads, each signed in as staff or (one in four) as a member,
ask for the dashboard, programme and inquiry lists several pages deep with filters, programme
and inquiry pages, hearings and search, for DURATION seconds. Printed: requests, requests per
second, each page's median, 95th and 99th percentile in ms and its errors (any answer but 200),
and the server's peak resident memory (all its processes, read from /proc).
"""

import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import sqlalchemy as sa
from alembic import command

from app import clock
from app.db import make_engine
from app.models import Hearing, Inquiry, Programme
from app.scale.register import ACCOUNTS, PASSWORD, build

STATUSES = ["", "", "overdue", "answered", "partially_answered", "due_soon"]
QUERIES = ["Endverbleibskontrolle", "end-use monitoring Mali", "Ausbildungsmission Niger",
           "human rights vetting", "Nachtsicht", "Korruptionsrisiken Somalia", "Staatswohl"]


@dataclass(frozen=True)
class Sample:
    """Ids of public records, so every page asked for exists for every reader."""

    programmes: list[int]
    inquiries: list[int]
    hearings: list[int]


def _pages(rng: random.Random, sample: Sample) -> tuple[str, str]:
    """One page to ask for: (the page's name in the figures, its address)."""
    draw = rng.randrange(10)
    page = rng.randrange(1, 30)
    if draw == 0:
        return "dashboard", "/"
    if draw == 1:
        status = rng.choice(["", "&status=active", "&status=completed"])
        sort = rng.choice(["", "&sort=title", "&sort=start&dir=desc"])
        return "programme list", f"/programmes?page={page}{status}{sort}"
    if draw == 2:
        return "programme detail", f"/programmes/{rng.choice(sample.programmes)}"
    if draw in (3, 4):
        status = rng.choice(STATUSES)
        sort = rng.choice(["", "", "&sort=submitted&dir=desc", "&sort=reference"])
        return "inquiry list", f"/inquiries?page={page}&status={status}{sort}"
    if draw == 5:
        return "inquiry list overdue", "/inquiries?status=overdue"
    if draw in (6, 7):
        return "inquiry detail", f"/inquiries/{rng.choice(sample.inquiries)}"
    if draw == 8:
        return "hearing detail", f"/hearings/{rng.choice(sample.hearings)}"
    return "search", f"/search?q={rng.choice(QUERIES)}&page={rng.randrange(1, 4)}"


def _sign_in(http: httpx.Client, email: str) -> None:
    token = re.search(r'name="login_token" value="([^"]+)"', http.get("/login").text).group(1)
    response = http.post("/login", data={"email": email, "password": PASSWORD,
                                          "login_token": token, "next": "/account"})
    if response.status_code != 303:
        raise RuntimeError(f"sign-in as {email} failed: {response.status_code}")


def _client(number: int, base: str, cookies: list[httpx.Cookies], sample: Sample,
            until: float, think: float, timings: dict, errors: dict,
            lock: threading.Lock) -> None:
    rng = random.Random(number)
    with httpx.Client(base_url=base, timeout=120, cookies=cookies[number]) as http:
        while time.perf_counter() < until:
            name, url = _pages(rng, sample)
            started = time.perf_counter()
            try:
                ok = http.get(url).status_code == 200
            except httpx.HTTPError:
                ok = False
            spent = (time.perf_counter() - started) * 1000
            with lock:
                timings[name].append(spent)
                errors[name] += not ok
            if think:
                time.sleep(rng.expovariate(1 / think))


def _process_tree(root: int) -> list[int]:
    """The process and all its descendants, from /proc."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            children[int(stat.rsplit(")", 1)[1].split()[1])].append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def rss_mb(root: int) -> float:
    """Resident memory of a process and its descendants, in MB."""
    total = 0
    for pid in _process_tree(root):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(match.group(1)) if match else 0
    return total / 1024


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _sample(engine) -> Sample:
    with engine.connect() as connection:
        def ids(model) -> list[int]:
            return list(connection.execute(
                sa.select(model.id).where(model.classification == 0)
                .order_by(model.id).limit(5000)).scalars())
        return Sample(ids(Programme), ids(Inquiry), ids(Hearing))


def _serve(url: str, folder: Path, workers: int, echo) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = dict(os.environ, OVERSIGHT_DATABASE_URL=url, OVERSIGHT_DATA_DIR=str(folder))
    server = subprocess.Popen(
        [sys.executable, "-c", "from app.cli import main; main()", "serve", "--port", str(port),
         "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL,
        stderr=open(folder / "server.log", "ab"))
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"the server did not start; see {folder / 'server.log'}")


def prepare(url: str, programmes: int, inquiries: int, items: int, echo) -> None:
    """Migrate and fill the database unless it already holds a register."""
    from app.cli import alembic_config

    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    with engine.connect() as connection:
        filled = connection.execute(sa.select(sa.func.count()).select_from(
            Programme.__table__)).scalar()
    if filled:
        echo(f"Reusing the register in the database ({filled} programmes).")
    else:
        echo(f"Building {programmes} programmes, {inquiries} inquiries with about {items} "
             "questions each ...")
        started = time.perf_counter()
        build(engine, programmes, inquiries, items, clock.today(), echo)
        echo(f"Built in {time.perf_counter() - started:.0f} s.")
    engine.dispose()


def run(*, programmes: int, inquiries: int, items: int, clients: int, duration: float,
        think: float, workers: int, reuse: Path | None, folder: Path | None,
        database_url: str | None, echo: Callable[[str], None]) -> None:
    with tempfile.TemporaryDirectory(prefix="oversight-load-") as scratch:
        data_dir = Path(folder or scratch)
        data_dir.mkdir(parents=True, exist_ok=True)
        path = reuse or data_dir / "load.db"
        url = database_url or f"sqlite:///{path}"
        prepare(url, programmes, inquiries, items, echo)
        engine = make_engine(url)
        sample = _sample(engine)
        engine.dispose()
        server, base = _serve(url, data_dir, workers, echo)
        try:
            _measure(server, base, sample, clients, duration, think, workers, echo)
        finally:
            server.terminate()
            server.wait(30)


def _warm_up(base: str, cookies: list[httpx.Cookies], echo) -> None:
    """Each list and the dashboard once per reader and worker, so the figures measure pages
    served from a register that has not just changed; how long that took is printed."""
    started = time.perf_counter()
    for jar in cookies:
        with httpx.Client(base_url=base, timeout=600, cookies=jar) as http:
            for _ in range(4):  # requests land on either worker
                for path in ["/", *(f"/inquiries?status={s}" for s in STATUSES[1:]),
                             "/inquiries", "/inquiries?sort=submitted&dir=desc",
                             "/inquiries?sort=reference"]:
                    http.get(path)
    echo(f"Warm-up (lists computed after a change, per reader and worker): "
         f"{time.perf_counter() - started:.1f} s.")


def _measure(server: subprocess.Popen, base: str, sample: Sample, clients: int,
             duration: float, think: float, workers: int, echo) -> None:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    # Each client has its own session, signed in one after the other beforehand: one in four
    # as a member, the others as staff.
    cookies = []
    for number in range(clients):
        with httpx.Client(base_url=base, timeout=60) as http:
            _sign_in(http, ACCOUNTS[1 if number % 4 == 3 else 0][0])
            cookies.append(http.cookies)
    _warm_up(base, [cookies[0], cookies[min(3, clients - 1)]], echo)
    until = time.perf_counter() + duration
    threads = [threading.Thread(target=_client, daemon=True, args=(
        n, base, cookies, sample, until, think, timings, errors, lock))
        for n in range(clients)]
    echo(f"Serving with {workers} workers; {clients} clients for {duration:.0f} s "
         f"(think time {think * 1000:.0f} ms, CPU count {os.cpu_count()}) ...")
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    peak = 0.0
    while any(thread.is_alive() for thread in threads):
        peak = max(peak, rss_mb(server.pid))
        time.sleep(0.5)
    elapsed = time.perf_counter() - started
    total = sum(len(v) for v in timings.values())
    echo(f"\n{'PAGE':<24} {'REQUESTS':>9} {'P50 ms':>8} {'P95 ms':>8} {'P99 ms':>8} "
         f"{'ERRORS':>7}")
    for name in sorted(timings):
        values = timings[name]
        echo(f"{name:<24} {len(values):>9} {_percentile(values, 0.5):>8.1f} "
             f"{_percentile(values, 0.95):>8.1f} {_percentile(values, 0.99):>8.1f} "
             f"{errors[name]:>7}")
    every = [v for values in timings.values() for v in values]
    if every:
        echo(f"{'ALL PAGES':<24} {total:>9} {_percentile(every, 0.5):>8.1f} "
             f"{_percentile(every, 0.95):>8.1f} {_percentile(every, 0.99):>8.1f} "
             f"{sum(errors.values()):>7}")
    echo(f"\n{total} requests in {elapsed:.1f} s: {total / elapsed:.1f} requests/s; "
         f"server peak RSS {peak:.0f} MB (all its processes).")
