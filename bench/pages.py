"""CPU per page type, in one process: `python -m bench.pages [--rounds 400] [--profile FILE]`.

The same people and request mix as `bench/load.py` (its `Person`), but each request
goes through Flask's test client in this process, one after another, with no think
time: no network, no gunicorn, nothing waits. For each request type: how many, CPU
milliseconds per request (p50 and mean) and SQL statements per request. `--profile`
writes a cProfile of the whole run (read it with `python -m pstats FILE`). Never part
of `make test`.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path


class _Response:
    def __init__(self, response):
        self.status_code = response.status_code
        self.content = response.get_data()
        self._text = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.content.decode("utf-8", errors="replace")
        return self._text


class _Session:
    """What `Person` asks of a `requests.Session`, answered by the Flask test client."""

    def __init__(self, app):
        self.client = app.test_client()

    def request(self, method, url, allow_redirects=False, timeout=None, data=None, **_):
        from werkzeug.datastructures import MultiDict

        path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
        data = MultiDict(data) if isinstance(data, list) else data
        return _Response(self.client.open(path, method=method, data=data, follow_redirects=allow_redirects))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=400, help="requests in all after sign-in, default 400")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", type=Path, default=None, help="write a cProfile of the measured requests here")
    parser.add_argument("--kinds", default="", help="only these request types (comma-separated) in the profile")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="formsvc-pages-"))
    os.environ["FORMSVC_DB"] = str(tmp / "formsvc.db")
    os.environ["FORMSVC_SECRET_KEY"] = secrets.token_hex(32)
    from formsvc import create_app
    from formsvc.demo import init_db_with_demo
    from formsvc.store import connect

    db = connect(tmp / "formsvc.db")
    init_db_with_demo(db, demo=True)
    db.close()

    from bench import load
    from formsvc.web import context

    statements = [0]
    real_connect = context.connect

    def counting_connect(path):
        db = real_connect(path)
        db.conn.set_trace_callback(lambda _sql: statements.__setitem__(0, statements[0] + 1))
        return db

    context.connect = counting_connect
    app = create_app({"DATABASE": str(tmp / "formsvc.db"), "SECRET_KEY": os.environ["FORMSVC_SECRET_KEY"]})
    demo = load.read_demo(tmp / "formsvc.db")
    rows: dict[str, list[tuple[float, int]]] = defaultdict(list)

    def record(kind, started, seconds, status, problem):
        if problem:
            print("error:", kind, problem, file=sys.stderr)

    rng = random.Random(args.seed)
    names = [n for n, _ in load.ROLES]
    weights = [w for _, w in load.ROLES]
    clerks = [u for u, row in demo.users.items() if row["role"] == "lao_clerk"]
    people = []
    for i in range(args.users):
        role = names[i % len(names)] if i < len(names) else rng.choices(names, weights)[0]
        username = clerks[i % len(clerks)] if role == "clerk" else role
        person = load.Person(i, username, "http://test", demo, 0, 0, record, args.seed * 1000 + i)
        person.session = _Session(app)
        people.append(person)

    # the warm-up: everyone signs in, every worker's first document
    for person in people:
        assert person.login(), person.username

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    only = set(filter(None, args.kinds.split(",")))

    def timed_call(person, original):
        def call(kind, method, path, expect, conflict_ok=False, **kwargs):
            before = statements[0]
            cpu = time.process_time()
            on = profiler is not None and (not only or kind in only)
            if on:
                profiler.enable()
            try:
                return original(kind, method, path, expect, conflict_ok, **kwargs)
            finally:
                if on:
                    profiler.disable()
                rows[kind].append((time.process_time() - cpu, statements[0] - before))

        return call

    plans = []
    for person in people:
        person.call = timed_call(person, person.call)
        plans.append(person.actions())
    order = random.Random(args.seed)
    start = time.process_time()
    for _ in range(args.rounds):
        i = order.randrange(len(people))
        view, kinds, kind_weights = plans[i]
        view[people[i].random.choices(kinds, kind_weights)[0]]()
    total = time.process_time() - start
    count = sum(len(v) for v in rows.values())
    print(f"{'request':<22} {'count':>6} {'cpu p50 ms':>10} {'cpu mean ms':>11} {'SQL/req':>8}")
    for kind in sorted(rows):
        cpus = [c * 1000 for c, _ in rows[kind]]
        sql = [s for _, s in rows[kind]]
        print(
            f"{kind:<22} {len(cpus):>6} {statistics.median(cpus):>10.1f} {statistics.fmean(cpus):>11.1f}"
            f" {statistics.fmean(sql):>8.1f}"
        )
    print(f"all: {count} requests, {total:.2f} s CPU, {total * 1000 / max(1, count):.1f} ms per request")
    if profiler is not None:
        profiler.dump_stats(args.profile)
        print(f"profile: {args.profile}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
