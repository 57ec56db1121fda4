"""Load benchmark: `make load` (and the end of `make bench`), never part of `make test`.

    python -m bench.load [--users 50] [--duration 60] [--workers N] [--think 0.5]

1. A fresh demo database in a temporary directory (`formsvc init-db --demo`).
2. `formsvc serve` (gunicorn, its default 2 × cores + 1 workers unless --workers, each
   with the threads formsvc/gunicorn_conf.py gives it; GUNICORN_CMD_ARGS in the
   environment overrides those, for comparisons) on 127.0.0.1 and a free port, its
   access and error logs captured.
3. --users simulated people for --duration seconds, one thread and one HTTP session
   each: they sign in (reading the CSRF token from the login page, keeping it for
   their session), then loop over a mix weighted by role (LAO clerks, facilitators,
   district, province and national offices): pages (checklist, forums, projects,
   reports, district, province and national roll-ups), saves (a report draft, a
   project edit, a forum record, the working group: each form read from its page
   first, as a browser would) and downloads (order PDF, minutes PDF), with an
   exponential think time of mean --think seconds between requests. Two people saving
   the same forum or group at once get the conflict page (a 400 that keeps their
   input): counted as "..._conflict", not as an error.
4. The hostile edge (bench/hostile.py; --no-hostile leaves it out): at --hostile-at
   seconds, four more users, clerks of an LAO no one else works on, each send one
   request that costs far more than its size: the longest report the form accepts,
   submitted; an SVG emblem of nested patterns; a project workbook declaring 2,000,000
   unused shared strings; one whose single cell holds 20,000,000 characters. Their
   status and time are reported apart from everyone else's figures.
5. Requests/s, p50/p95/p99 latency per request type, per group (HTML answers: pages
   and saves; documents: the PDFs) and overall over the requests
   started after the first --warmup seconds (each gunicorn worker loads fonts and
   templates on its first document), errors over the whole run, and from the
   server's log the count of 5xx answers and of "database is locked"; the CPU of the
   server, of this load generator and of everything else on the machine. Printed as a
   table with the targets (HTML p95 <= 150 ms, 0 errors) marked ✓/✗, and written to
   bench/results/load.json.

Exit status 1 when any ordinary request failed, any 5xx was logged outside the hostile
requests, or the database was locked.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from bench import hostile
from formsvc import gunicorn_conf
from formsvc.domain import clock

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PASSWORD = "formsvc-demo"
LOCKED = re.compile(r"database is locked", re.I)
ACCESS_STATUS = re.compile(r'"([A-Z]+) ([^" ]*)[^"]*" (\d{3}) ')
ROLES = (("clerk", 0.6), ("facilitator", 0.1), ("district", 0.14), ("province", 0.1), ("national", 0.06))


# The demo's objects, read from the database before the run ---------------------------------


@dataclass
class Demo:
    """Which LAOs, forums, projects and report periods each demo login works on."""

    users: dict[str, dict] = field(default_factory=dict)
    forums: dict[int, list[int]] = field(default_factory=dict)
    projects: dict[int, list[int]] = field(default_factory=dict)
    periods: dict[int, list[int]] = field(default_factory=dict)  # report periods still editable
    district_laos: dict[str, list[int]] = field(default_factory=dict)


def read_demo(db_path: Path) -> Demo:
    from formsvc.store import connect
    from formsvc.store.programme import get_programme
    from formsvc.store.reports import programme_periods

    db = connect(db_path)
    try:
        demo = Demo()
        year = get_programme(db).year_be
        numbers = [p.number for p in programme_periods(db)]
        for row in db.query("SELECT username, role, lao_id, district_code, province_code FROM user"):
            demo.users[row["username"]] = row
        for lao in db.query("SELECT id, district_code FROM lao"):
            demo.district_laos.setdefault(lao["district_code"], []).append(lao["id"])
            demo.forums[lao["id"]] = [
                r["id"]
                for r in db.query("SELECT id FROM forum WHERE lao_id = ? AND programme_year = ?", [lao["id"], year])
            ]
            demo.projects[lao["id"]] = [
                r["id"]
                for r in db.query("SELECT id FROM project WHERE lao_id = ? AND programme_year = ?", [lao["id"], year])
            ]
            locked = {
                r["period"]
                for r in db.query(
                    "SELECT period FROM report WHERE lao_id = ? AND programme_year = ?"
                    " AND status IN ('submitted', 'acknowledged')",
                    [lao["id"], year],
                )
            }
            demo.periods[lao["id"]] = [n for n in numbers if n not in locked]
        return demo
    finally:
        db.close()


# One simulated person --------------------------------------------------------------------


class _Form(HTMLParser):
    """What a browser sends for the page's own POST form (the first one posting to the
    page itself): inputs, checked boxes, selected options, textareas."""

    def __init__(self, path: str = ""):
        super().__init__()
        self.path = path
        self.fields: list[tuple[str, str]] = []
        self._in_form = self._done = False
        self._select: dict | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if (
            tag == "form"
            and not self._done
            and a.get("method", "").lower() == "post"
            and a.get("action", "") in ("", self.path)
        ):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.fields.append((a["name"], a.get("value", "y")))
        elif tag == "select":
            self._select = {"name": a.get("name"), "options": [], "multiple": "multiple" in a}
        elif tag == "option" and self._select is not None:
            self._select["options"].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form, self._done = False, True
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._select["options"] if selected]
            if not chosen and self._select["options"] and not self._select["multiple"]:
                chosen = [self._select["options"][0][0]]
            self.fields += [(self._select["name"], v) for v in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            self.fields.append((name, value[2:] if value.startswith("\r\n") else value.lstrip("\n")))
            self._textarea = None


def page_form(html: str, path: str, **changes) -> list[tuple[str, str]]:
    """The fields of the page's form that posts to ``path`` (or to the page itself)."""
    form = _Form(path)
    form.feed(html)
    return [(k, v) for k, v in form.fields if k not in changes] + list(changes.items())


CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
CONFLICT = "มีผู้อื่นบันทึก"  # a save based on a version someone else replaced meanwhile
PROGRESS = [
    "จัดประชุมคณะทำงานระดับท้องถิ่นครั้งที่ {n} เพื่อติดตามความก้าวหน้าของแผนชุมชน",
    "จัดเวทีประชาคมหมู่บ้านครบทุกหมู่แล้ว ผู้เข้าร่วม {n} คน",
    "บรรจุโครงการจากแผนชุมชนในร่างข้อบัญญัติงบประมาณ {n} โครงการ",
]


class Person(threading.Thread):
    def __init__(
        self, index: int, username: str, base: str, demo: Demo, deadline: float, think: float, record, seed: int
    ):
        super().__init__(daemon=True, name=f"user-{index}")
        import requests

        self.session = requests.Session()
        self.username, self.base, self.demo = username, base, demo
        self.user = demo.users[username]
        self.deadline, self.think, self.record = deadline, think, record
        self.random = random.Random(seed)
        self.csrf = ""

    # requests ---------------------------------------------------------------------------
    def call(self, kind: str, method: str, path: str, expect: int, conflict_ok: bool = False, **kwargs):
        start = time.perf_counter()
        try:
            response = self.session.request(method, self.base + path, allow_redirects=False, timeout=60, **kwargs)
            body = response.content
            status = response.status_code
        except Exception as error:  # a refused or dropped connection is an error, never a crash
            self.record(kind, start, time.perf_counter() - start, None, f"{type(error).__name__}: {error}"[:200])
            return None
        elapsed = time.perf_counter() - start
        problem = None
        if conflict_ok and status == 400 and CONFLICT in response.text:
            kind += "_conflict"  # two people saved the same record: told, nothing lost; not an error
        elif status != expect:
            problem = f"{method} {path}: {status} (expected {expect})"
        elif kind.endswith("_pdf") and not body.startswith(b"%PDF-"):
            problem = f"{path}: not a PDF"
        self.record(kind, start, elapsed, status, problem)
        return response if problem is None else None

    def login(self) -> bool:
        page = self.call("login_page", "GET", "/login", 200)
        match = CSRF.search(page.text) if page is not None else None
        if not match:
            return False
        done = self.call(
            "login",
            "POST",
            "/login",
            302,
            data={"csrf_token": match.group(1), "username": self.username, "password": PASSWORD},
        )
        if done is None:
            return False
        # one token per session (Flask-WTF), read once from a signed-in page and kept
        home = self.call("checklist" if self.user["lao_id"] else "home", "GET", self.home_path(), 200)
        match = CSRF.search(home.text) if home is not None else None
        self.csrf = match.group(1) if match else ""
        return bool(self.csrf)

    def home_path(self) -> str:
        u = self.user
        if u["lao_id"]:
            return f"/laos/{u['lao_id']}"
        if u["role"] == "facilitator":  # the LAOs of their district; not the district page
            return "/laos"
        if u["district_code"]:
            return f"/districts/{u['district_code']}"
        if u["province_code"]:
            return f"/provinces/{u['province_code']}"
        return "/national"

    # what each role does ------------------------------------------------------------------
    def lao(self) -> int:
        if self.user["lao_id"]:
            return self.user["lao_id"]
        if self.user["district_code"]:
            return self.random.choice(self.demo.district_laos[self.user["district_code"]])
        return self.random.choice([lao for laos in self.demo.district_laos.values() for lao in laos])

    def actions(self):
        role = self.user["role"]
        lao = self.lao()
        forums = self.demo.forums.get(lao) or []
        view = {
            "checklist": lambda: self.call("checklist", "GET", f"/laos/{lao}", 200),
            "forums": lambda: self.call("forums", "GET", f"/laos/{lao}/forums", 200),
            "forum": lambda: (
                forums and self.call("forum", "GET", f"/laos/{lao}/forums/{self.random.choice(forums)}", 200)
            ),
            "projects": lambda: self.call("projects", "GET", f"/laos/{lao}/projects", 200),
            "reports": lambda: self.call("reports", "GET", f"/laos/{lao}/reports", 200),
            "district": lambda: self.call("district", "GET", f"/districts/{self.district()}", 200),
            "province": lambda: self.call("province", "GET", f"/provinces/{self.province()}", 200),
            "national": lambda: self.call("national", "GET", "/national", 200),
            "order_pdf": lambda: self.call("order_pdf", "GET", f"/laos/{lao}/documents/order.pdf", 200),
            "minutes_pdf": lambda: (
                forums
                and self.call(
                    "minutes_pdf", "GET", f"/laos/{lao}/documents/minutes.pdf?forum={self.random.choice(forums)}", 200
                )
            ),
            "report_save": lambda: self.save_report(lao),
            "project_save": lambda: self.save_project(lao),
            "forum_save": lambda: forums and self.save_forum(lao, self.random.choice(forums)),
            "group_save": lambda: self.save_group(lao),
        }
        weights = {
            "lao_clerk": {
                "checklist": 20,
                "forums": 10,
                "projects": 15,
                "reports": 5,
                "report_save": 12,
                "project_save": 8,
                "group_save": 3,
                "forum_save": 2,
                "order_pdf": 8,
                "minutes_pdf": 7,
            },
            "facilitator": {
                "checklist": 20,
                "forums": 25,
                "forum": 20,
                "forum_save": 10,
                "minutes_pdf": 15,
            },
            "district": {
                "district": 30,
                "checklist": 20,
                "forums": 10,
                "projects": 15,
                "reports": 5,
                "order_pdf": 10,
                "minutes_pdf": 5,
            },
            "province": {"province": 45, "district": 30, "checklist": 15, "order_pdf": 10},
            "national": {"national": 60, "province": 40},
        }[role]
        names = list(weights)
        return view, names, [weights[n] for n in names]

    def district(self) -> str:
        return self.user["district_code"] or self.random.choice(sorted(self.demo.district_laos))

    def province(self) -> str:
        return self.user["province_code"] or "37"

    def save_report(self, lao: int):
        periods = self.demo.periods.get(lao) or []
        if not periods:
            return None
        n = self.random.choice(periods)
        text = self.random.choice(PROGRESS).format(n=self.random.randint(1, 99))
        path = f"/laos/{lao}/reports/{n}"
        page = self.call("report", "GET", path, 200)
        if page is None:
            return None
        data = page_form(
            page.text,
            path,
            csrf_token=self.csrf,
            action="save",
            progress=text,
            problems="ไม่มี",
            reporter_name="นางสาวทดสอบ ระบบ",
            reporter_position="นักวิเคราะห์นโยบายและแผน",
        )
        return self.call("report_save", "POST", path, 302, conflict_ok=True, data=data)

    def save_project(self, lao: int):
        projects = self.demo.projects.get(lao) or []
        if not projects:
            return None
        project = self.random.choice(projects)
        page = self.call("project_form", "GET", f"/laos/{lao}/projects/{project}", 200)
        if page is None:
            return None
        data = page_form(
            page.text,
            f"/laos/{lao}/projects/{project}",
            csrf_token=self.csrf,
            plan_reference=f"ผ.02 หน้า {self.random.randint(1, 200)}",
        )
        return self.call("project_save", "POST", f"/laos/{lao}/projects/{project}", 302, conflict_ok=True, data=data)

    def save_forum(self, lao: int, forum: int):
        page = self.call("forum", "GET", f"/laos/{lao}/forums/{forum}", 200)
        if page is None:
            return None
        data = page_form(
            page.text,
            f"/laos/{lao}/forums/{forum}",
            csrf_token=self.csrf,
            action="save",
            recorder_position=f"เลขานุการ ({self.random.randint(1, 99)})",
        )
        return self.call("forum_save", "POST", f"/laos/{lao}/forums/{forum}", 302, conflict_ok=True, data=data)

    def save_group(self, lao: int):
        page = self.call("working_group", "GET", f"/laos/{lao}/working-group", 200)
        if page is None:
            return None
        data = page_form(
            page.text,
            f"/laos/{lao}/working-group",
            csrf_token=self.csrf,
            action="save",
            signer_position=f"นายกองค์การบริหารส่วนตำบล ({self.random.randint(1, 99)})",
        )
        return self.call("group_save", "POST", f"/laos/{lao}/working-group", 302, conflict_ok=True, data=data)

    def run(self):
        if not self.login():
            return
        view, names, weights = self.actions()
        while time.monotonic() < self.deadline:
            if self.think:
                time.sleep(min(self.random.expovariate(1 / self.think), max(0.0, self.deadline - time.monotonic())))
            if time.monotonic() >= self.deadline:
                break
            view[self.random.choices(names, weights)[0]]()


# The server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp: Path, port: int, workers: int | None) -> tuple[subprocess.Popen, Path, dict]:
    env = {**os.environ, "FORMSVC_DB": str(tmp / "formsvc.db"), "FORMSVC_SECRET_KEY": secrets.token_hex(32)}
    formsvc = [sys.executable, "-m", "formsvc"]
    subprocess.run([*formsvc, "init-db", "--demo"], env=env, check=True, capture_output=True, cwd=tmp)
    log = tmp / "server.log"
    args = [*formsvc, "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers:
        args += ["--workers", str(workers)]
    with log.open("wb") as out:
        server = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp, start_new_session=True)
    import requests

    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError("formsvc serve stopped:\n" + log.read_text(errors="replace")[-3000:])
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server, log, env
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError("formsvc serve did not answer /healthz within 30 s")


def process_tree_cpu(pid: int) -> float:
    """User + system CPU seconds so far of a process and all its descendants (Linux
    /proc): `formsvc serve`, the gunicorn it starts and gunicorn's workers, and the task
    queue's workers beside it with their processes. Those that ended are not counted."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    used: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            children.setdefault(int(fields[1]), []).append(int(entry.name))
            used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += used.get(p, 0.0)
        todo.extend(children.get(p, ()))
    return total


def machine_cpu() -> float:
    """CPU seconds all processes of the machine have used so far (user, nice, system,
    irq, softirq, steal from /proc/stat): less the server's and the load generator's,
    what everything else on the machine took meanwhile."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0
    busy = [int(v) for i, v in enumerate(fields[:8]) if i not in (3, 4)]  # not idle, not iowait
    return sum(busy) / os.sysconf("SC_CLK_TCK")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # gunicorn's graceful stop of its own workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# Figures --------------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return 0.0
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def group_of(kind: str) -> str:
    """'document' (a PDF), 'save' (a form posted: a redirect, or the conflict page) or
    'page' (an HTML page read)."""
    if kind.endswith("_pdf"):
        return "document"
    if kind.endswith(("_save", "_save_conflict")) or kind == "login":
        return "save"
    return "page"


# The groups reported apart. The target: every HTML answer (the pages people
# read and the forms they post, which answer with a redirect or the conflict page) p95
# <= HTML_P95_MS under 50 users; documents (PDFs) are reported beside it.
GROUPS = (("html", {"page", "save"}), ("pages", {"page"}), ("saves", {"save"}), ("documents", {"document"}))
HTML_P95_MS = 150


def summarise(
    samples: list[tuple[str, float, float, int | None, str | None]], measured_from: float, seconds: float
) -> dict:
    """Figures over the requests started at or after ``measured_from`` (perf_counter)."""

    def stats(rows):
        times = sorted(t * 1000 for _, _, t, _, _ in rows)
        return {
            "requests": len(rows),
            "per_second": round(len(rows) / seconds, 1),
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "p99_ms": round(percentile(times, 99), 1),
            "max_ms": round(times[-1], 1) if times else 0.0,
            "errors": sum(1 for *_, problem in rows if problem),
        }

    measured = [s for s in samples if s[1] >= measured_from]
    kinds = sorted({k for k, *_ in measured})
    return {
        "overall": stats(measured),
        "groups": {name: stats([s for s in measured if group_of(s[0]) in members]) for name, members in GROUPS},
        "by_type": {k: stats([s for s in measured if s[0] == k]) for k in kinds},
        "whole_run": {"requests": len(samples), "errors": sum(1 for *_, problem in samples if problem)},
    }


def server_log_counts(log: Path, hostile_lao: int | None = None) -> dict:
    """From the server's log: "database is locked", 5xx answers (the hostile requests'
    apart: the POSTs of the emblem, the import and the report of the hostile LAO)."""
    text = log.read_text(encoding="utf-8", errors="replace")
    lines = [(m.group(1), m.group(2).split("?")[0], int(m.group(3))) for m in ACCESS_STATUS.finditer(text)]
    prefix = f"/laos/{hostile_lao}/"

    def is_hostile(method: str, path: str) -> bool:
        return (
            hostile_lao is not None
            and method == "POST"
            and path.startswith(prefix)
            and re.fullmatch(r"emblem|projects/import|reports/\d+", path[len(prefix) :]) is not None
        )

    return {
        "database_locked": len(LOCKED.findall(text)),
        "server_5xx": sum(1 for m, p, s in lines if s >= 500 and not is_hostile(m, p)),
        "hostile_5xx": sum(1 for m, p, s in lines if s >= 500 and is_hostile(m, p)),
        "worker_timeouts": text.count("WORKER TIMEOUT"),
        "logged_requests": len(lines),
        "tracebacks": text.count("Traceback (most recent call last)"),
    }


def print_table(result: dict) -> None:
    groups = [(f"[{name}]", s) for name, s in result["groups"].items()]
    rows = [*result["by_type"].items(), *groups, ("overall", result["overall"])]
    width = max(len(k) for k, _ in rows)
    print(
        f"{'request':<{width}}  {'count':>6}  {'req/s':>6}  {'p50 ms':>7}  {'p95 ms':>7}  {'p99 ms':>7}  {'errors':>6}"
    )
    for name, s in rows:
        if name in ("overall", groups[0][0]):
            print("-" * (width + 52))
        print(
            f"{name:<{width}}  {s['requests']:>6}  {s['per_second']:>6}  {s['p50_ms']:>7}  {s['p95_ms']:>7}  "
            f"{s['p99_ms']:>7}  {s['errors']:>6}"
        )


def machine() -> dict:
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) // 1024 // 1024} GiB"
    except OSError:
        pass
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {
        "cpus": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_1min_before": load,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="simulated people (threads), default 50")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load, default 60")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: formsvc's 2 × cores + 1)")
    parser.add_argument(
        "--think",
        type=float,
        default=0.5,
        help="mean think time between a person's requests in seconds (exponential), default 0.5",
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=10,
        help="seconds at the start left out of the latency figures (errors still count), default 10",
    )
    parser.add_argument(
        "--hostile-at",
        type=float,
        default=None,
        help="seconds after the start when the hostile requests go out (default: warm-up + 5 s)",
    )
    parser.add_argument("--no-hostile", dest="hostile", action="store_false", help="leave the hostile requests out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS / "load.json")
    args = parser.parse_args(argv)

    samples: list = []
    lock = threading.Lock()

    def record(kind, started, seconds, status, problem):
        with lock:
            samples.append((kind, started, seconds, status, problem))

    hostile_results: list[dict] = []

    def record_hostile(kind, status, seconds, note, details):
        with lock:
            hostile_results.append(
                {"kind": kind, "status": status, "seconds": round(seconds, 2), "note": note, **details}
            )

    info = machine()
    with tempfile.TemporaryDirectory(prefix="formsvc-load-") as tmp_name:
        tmp = Path(tmp_name)
        port = free_port()
        server, log, env = start_server(tmp, port, args.workers)
        hostile_lao = None
        try:
            demo = read_demo(tmp / "formsvc.db")
            attackers = []
            if args.hostile:
                picked = hostile.pick_lao(tmp / "formsvc.db")
                if picked is None:
                    print("no LAO for the hostile requests: left out", file=sys.stderr)
                else:
                    hostile_lao, hostile_period = picked
                    usernames, password = hostile.create_users(env, tmp, hostile_lao)
            rng = random.Random(args.seed)
            names = [name for name, _ in ROLES]
            weights = [w for _, w in ROLES]
            clerks = [u for u, row in demo.users.items() if row["role"] == "lao_clerk"]
            people = []
            started = time.monotonic()
            measured_from = time.perf_counter() + args.warmup
            deadline = started + args.duration
            for i in range(args.users):
                role = names[i % len(names)] if i < len(names) else rng.choices(names, weights)[0]
                username = clerks[i % len(clerks)] if role == "clerk" else role
                people.append(
                    Person(
                        i,
                        username,
                        f"http://127.0.0.1:{port}",
                        demo,
                        deadline,
                        args.think,
                        record,
                        args.seed * 1000 + i,
                    )
                )
            if hostile_lao is not None:
                at = started + (args.hostile_at if args.hostile_at is not None else args.warmup + 5)
                attackers = [
                    hostile.Hostile(
                        kind,
                        usernames[kind],
                        password,
                        f"http://127.0.0.1:{port}",
                        hostile_lao,
                        hostile_period,
                        at,
                        record_hostile,
                    )
                    for kind in hostile.HOSTILE_KINDS
                ]
            for person in [*people, *attackers]:
                person.start()
            # CPU of the server (gunicorn and its workers) and of this load generator over
            # the measured part: on a shared machine they compete for the same cores
            time.sleep(max(0.0, min(args.warmup, args.duration)))
            cpu_start = (process_tree_cpu(server.pid), time.process_time(), machine_cpu())
            for person in [*people, *attackers]:
                person.join(timeout=args.duration + hostile.TIMEOUT + 30)
            cpu_end = (process_tree_cpu(server.pid), time.process_time(), machine_cpu())
            measured_seconds = time.monotonic() - started - max(0.0, min(args.warmup, args.duration))
            elapsed = time.monotonic() - started
        finally:
            stop_server(server)
        cpu = {
            "server_s": round(cpu_end[0] - cpu_start[0], 1),
            "load_generator_s": round(cpu_end[1] - cpu_start[1], 1),
            "measured_s": round(measured_seconds, 1),
        }
        cpu["everything_else_s"] = round(
            max(0.0, cpu_end[2] - cpu_start[2] - cpu["server_s"] - cpu["load_generator_s"]), 1
        )
        try:
            info["load_average_1min_after"] = os.getloadavg()[0]
        except OSError:
            pass
        counts = server_log_counts(log, hostile_lao)
        from formsvc.store import connect

        db = connect(tmp / "formsvc.db")
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        db.close()
        errors = sorted({p for *_, p in samples if p})
        if counts["tracebacks"] or errors:
            (RESULTS).mkdir(parents=True, exist_ok=True)
            (RESULTS / "load-server.log").write_text(log.read_text(errors="replace"), encoding="utf-8")

    result = summarise(samples, measured_from, max(0.001, elapsed - args.warmup))
    result.update(
        {
            "date": clock.local_now().isoformat(timespec="seconds"),
            "machine": info,
            "settings": {
                "users": args.users,
                "duration_s": args.duration,
                "warmup_s": args.warmup,
                "think_mean_s": args.think,
                "workers": args.workers or 2 * (os.cpu_count() or 1) + 1,
                "worker_class": getattr(gunicorn_conf, "worker_class", "sync"),
                "threads_per_worker": getattr(gunicorn_conf, "threads", 1),
                "keepalive_s": getattr(gunicorn_conf, "keepalive", 2),
                "GUNICORN_CMD_ARGS": os.environ.get("GUNICORN_CMD_ARGS", ""),
                "seed": args.seed,
            },
            "elapsed_s": round(elapsed, 1),
            "server_log": counts,
            "integrity_check": integrity,
            "cpu": {
                **cpu,
                "server_ms_per_request": round(
                    cpu["server_s"] * 1000 / max(1, sum(1 for s in samples if s[1] >= measured_from)), 1
                ),
            },
            "error_examples": errors[:20],
            "hostile": {"lao": hostile_lao, "requests": sorted(hostile_results, key=lambda r: r["kind"])},
        }
    )
    print_table(result)
    cmd_args = os.environ.get("GUNICORN_CMD_ARGS")
    overridden = f" (GUNICORN_CMD_ARGS={cmd_args})" if cmd_args else ""
    print(
        f"\n{args.users} users, {elapsed:.0f} s ({args.warmup:.0f} s warm-up not in the figures), "
        f"{result['settings']['workers']} workers x {result['settings']['threads_per_worker']} threads"
        f"{overridden}"
        f", think {args.think} s: {result['overall']['per_second']} "
        f"requests/s; errors in the whole run: {result['whole_run']['errors']} of "
        f"{result['whole_run']['requests']}; server log: "
        f"{counts['server_5xx']} 5xx, {counts['database_locked']} 'database is locked', "
        f"{counts['tracebacks']} tracebacks; integrity_check: {integrity}"
    )
    print(
        f"CPU: server {cpu['server_s']} s ({result['cpu']['server_ms_per_request']} ms per request), "
        f"load generator {cpu['load_generator_s']} s, everything else on the machine {cpu['everything_else_s']} s, "
        f"over the {cpu['measured_s']} s measured on {info['cpus']} cores "
        f"(load average before: {info['load_average_1min_before']:.2f}, after: "
        f"{info.get('load_average_1min_after', 0):.2f})"
    )
    for problem in errors[:10]:
        print("  error:", problem)
    print(
        f"\neveryone else: {result['whole_run']['errors']} errors, {counts['database_locked']} 'database is locked'"
        f" in the server log, p95 {result['overall']['p95_ms']} ms; worker timeouts in the log:"
        f" {counts['worker_timeouts']}"
    )
    for r in result["hostile"]["requests"]:
        print(f"hostile {r['kind']:<13} status {r['status']}  {r['seconds']:>7.2f} s  {r['note'][:100]}")
    html, documents = result["groups"]["html"], result["groups"]["documents"]
    print(
        f"\ntarget: HTML p95 <= {HTML_P95_MS} ms: {html['p95_ms']} ms {'✓' if html['p95_ms'] <= HTML_P95_MS else '✗'}"
        f" (p50 {html['p50_ms']}, p99 {html['p99_ms']}; {html['requests']} requests)"
    )
    print(f"target: 0 errors: {result['whole_run']['errors']} {'✓' if not result['whole_run']['errors'] else '✗'}")
    print(
        f"documents (reported apart): p50 {documents['p50_ms']} ms, p95 {documents['p95_ms']} ms, "
        f"p99 {documents['p99_ms']} ms ({documents['requests']} requests)"
    )
    result["targets"] = {
        "html_p95_ms": {"target": HTML_P95_MS, "measured": html["p95_ms"], "met": html["p95_ms"] <= HTML_P95_MS},
        "errors": {"target": 0, "measured": result["whole_run"]["errors"], "met": not result["whole_run"]["errors"]},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written: {args.out}")
    failed = result["whole_run"]["errors"] or counts["server_5xx"] or counts["database_locked"] or integrity != "ok"
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
