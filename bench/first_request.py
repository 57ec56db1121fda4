"""The first PDF a user gets from a freshly started server, against the warm median and
against LibreOffice converting the same DOCX (`python -m bench.first_request`, run by
`make bench`).

For each kind: a fresh `formsvc serve --workers 1` on a demo database (its worker warms
the document engine before it accepts a request: formsvc/gunicorn_conf.py), ready when
/healthz answers; the clerk signs in; the kind's PDF is fetched once (first request),
then RUNS more times (warm median). The same kind's DOCX, fetched from that server, is
converted by `soffice --headless --convert-to pdf` (median of a few runs). Targets (issue
"Fast from the first request"): first ≤ 1.5 × warm median; warm PDF ≥ 10 × faster than
LibreOffice. Then a second fresh server with the render cache on: the same PDF asked for
again (target ≤ 20 ms). Prints one line per kind with ✓/✗ and writes
bench/results/first_request.json; when a kind's warm PDF is short of 10 × LibreOffice,
then prints where one report PDF's CPU goes (bench/render_profile.py).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.__main__ import RESULTS, soffice_convert
from bench.load import CSRF, PASSWORD, free_port, start_server

# what a clerk of LAO 1 downloads most (path of the PDF; the DOCX is the same with .docx)
KINDS = {
    "order": "/laos/1/documents/order.pdf?draft=1",
    "operation-plan": "/laos/1/documents/operation-plan.pdf",
    "project-list": "/laos/1/documents/project-list.pdf",
    "report": "/laos/1/documents/report.pdf?period=4",  # not sent yet: rendered, not stored bytes
    "minutes": "/laos/1/documents/minutes.pdf?forum=9",
}
FIRST_TARGET = 1.5
LIBREOFFICE_TARGET = 10.0
REPEAT_TARGET_MS = 20.0  # the same document again, from the render cache


def _session(base: str):
    import requests

    session = requests.Session()
    page = session.get(base + "/login", timeout=60)
    token = CSRF.search(page.text).group(1)
    answer = session.post(
        base + "/login",
        data={"csrf_token": token, "username": "clerk", "password": PASSWORD},
        allow_redirects=False,
        timeout=60,
    )
    assert answer.status_code == 302, answer.status_code
    return session


def _get(session, url: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    response = session.get(url, timeout=120)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, response.content


def _server_run(kind: str, path: str, runs: int, cache: bool) -> tuple[float, list[float], bytes]:
    """(first, the next ``runs`` sorted, the DOCX) from a fresh server, its render cache
    on or off."""
    saved = os.environ.get("FORMSVC_RENDER_CACHE_MB")
    os.environ["FORMSVC_RENDER_CACHE_MB"] = "256" if cache else "0"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            port = free_port()
            server, _log, _env = start_server(Path(tmp), port, 1)
            base = f"http://127.0.0.1:{port}"
            try:
                session = _session(base)
                first, pdf = _get(session, base + path)
                assert pdf.startswith(b"%PDF"), kind
                more = sorted(_get(session, base + path)[0] for _ in range(runs))
                docx = session.get(base + path.replace(".pdf", ".docx"), timeout=120).content
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
    finally:
        if saved is None:
            os.environ.pop("FORMSVC_RENDER_CACHE_MB", None)
        else:
            os.environ["FORMSVC_RENDER_CACHE_MB"] = saved
    return first, more, docx


def measure(kind: str, path: str, runs: int, soffice_runs: int) -> dict:
    # renders: the cache off, so every request renders (first: a fresh, warmed worker)
    first, warm, docx = _server_run(kind, path, runs, cache=False)
    # repeats: the cache on, the same document asked for again
    _first, repeats, _docx = _server_run(kind, path, runs, cache=True)
    median = statistics.median(warm)
    lo = soffice_convert(docx, soffice_runs)
    result = {
        "kind": kind,
        "first_ms": round(first, 1),
        "warm_median_ms": round(median, 1),
        "first_over_warm": round(first / median, 2),
        "first_ok": first <= FIRST_TARGET * median,
        "repeat_median_ms": round(statistics.median(repeats), 1),
        "repeat_ok": statistics.median(repeats) <= REPEAT_TARGET_MS,
    }
    if lo:
        result.update(
            libreoffice_median_ms=lo["median_ms"],
            libreoffice_over_warm=round(lo["median_ms"] / median, 1),
            libreoffice_over_first=round(lo["median_ms"] / first, 1),
            libreoffice_ok=lo["median_ms"] >= LIBREOFFICE_TARGET * median,
        )
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.first_request")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--soffice-runs", type=int, default=3)
    parser.add_argument("--kinds", nargs="*", default=list(KINDS))
    args = parser.parse_args(argv)
    results = []
    print(
        f"{'kind':16} {'first ms':>9} {'warm ms':>8} {'first/warm':>10}  {'repeat ms':>9}"
        f"  {'LibreOffice ms':>14} {'LO/warm':>8}"
    )
    for kind in args.kinds:
        r = measure(kind, KINDS[kind], args.runs, args.soffice_runs)
        results.append(r)
        mark = "✓" if r["first_ok"] else "✗"
        lo = (
            f"{r['libreoffice_median_ms']:>14} {r['libreoffice_over_warm']:>7}× {'✓' if r['libreoffice_ok'] else '✗'}"
            if "libreoffice_median_ms" in r
            else f"{'(no soffice)':>14}"
        )
        repeat = f"{r['repeat_median_ms']:>9} {'✓' if r['repeat_ok'] else '✗'}"
        print(
            f"{kind:16} {r['first_ms']:>9} {r['warm_median_ms']:>8} {r['first_over_warm']:>9}× {mark} {repeat} {lo}",
            flush=True,
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "first_request.json").write_text(
        json.dumps(
            {
                "targets": {"first_over_warm": FIRST_TARGET, "libreoffice_over_warm": LIBREOFFICE_TARGET},
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    short = [r["kind"] for r in results if r.get("libreoffice_ok") is False]
    if short:  # a missed target comes with where the time goes
        from bench import render_profile

        print(f"warm PDF short of {LIBREOFFICE_TARGET:g}x LibreOffice for {', '.join(short)}:", flush=True)
        render_profile.main([])
    return 0 if all(r["first_ok"] and r["repeat_ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
