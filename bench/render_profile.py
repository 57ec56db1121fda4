"""Where one report PDF's CPU goes: `make bench` prints this when a render-bound target
is missed (the cold ZIP's PDFs/s, the national build), and `python -m bench.render_profile`
prints it on the demo data. Never part of `make test`.

Phases, CPU time of this process (time.process_time, median of --runs; the render cache
is off, so every run renders):
1. gathering the report's data (services.report_context: compliance, evidence, annex);
2. the HTML (Jinja: engine.render_html);
3. WeasyPrint: parsing the HTML, the cascade and the layout of the pages
   (``HTML.render``);
4. WeasyPrint: drawing the pages and writing the PDF (``Document.write_pdf``), with
   formsvc's text-layer fix (formsvc/documents/pdf_text.py).
Then cProfile of one whole render: the functions with the most time of their own,
grouped by where they live (formsvc, WeasyPrint, its libraries, Python).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as _dt
import os
import pstats
import statistics
import tempfile
import time
from pathlib import Path


def _cpu(fn, runs: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(runs):
        start = time.process_time()
        result = fn()
        samples.append(time.process_time() - start)
    return statistics.median(samples) * 1000, result


def _where(filename: str) -> str:
    for marker, name in (
        ("/formsvc/", "formsvc"),
        ("/weasyprint/", "weasyprint"),
        ("/tinycss2/", "tinycss2"),
        ("/cssselect2/", "cssselect2"),
        ("/pydyf/", "pydyf"),
        ("/fontTools/", "fontTools"),
        ("/html5lib/", "html5lib"),
        ("/jinja2/", "jinja2"),
        ("/cffi", "cffi"),
    ):
        if marker in filename:
            return name
    return "python" if filename.startswith("/") else filename or "builtin"


def profile(db, lao_id: int, period: int, today: _dt.date, runs: int = 3) -> dict:
    """{"phases_ms": {...}, "total_ms", "pages", "top": [...], "by_package": {...}} of the
    draft report form of ``lao_id`` for ``period``."""
    from weasyprint import HTML

    from formsvc import services
    from formsvc.documents import engine
    from formsvc.store import reports as report_store

    saved = os.environ.get("FORMSVC_RENDER_CACHE_MB")
    os.environ["FORMSVC_RENDER_CACHE_MB"] = "0"
    try:
        report = report_store.get_report(db, lao_id, period)
        eng = engine.engine()
        engine.render_pdf("report", services.report_context(db, lao_id, report, today)[1], draft=True)  # warm
        gather_ms, (_, context) = _cpu(lambda: services.report_context(db, lao_id, report, today), runs)
        html_ms, html = _cpu(lambda: engine.render_html("report", context, draft=True), runs)
        emblem = (context["emblem_png"], "image/png") if context.get("emblem_png") else None

        def layout():
            document = HTML(string=html, base_url="formsvc:", url_fetcher=eng.fetcher_class(emblem))
            return document.render(stylesheets=[eng.stylesheet], font_config=eng.font_config)

        layout_ms, laid_out = _cpu(layout, runs)
        draw_ms, pdf = _cpu(lambda: laid_out.write_pdf(), runs)
        profiler = cProfile.Profile()
        profiler.enable()
        engine.render_pdf("report", services.report_context(db, lao_id, report, today)[1], draft=True)
        profiler.disable()
    finally:
        if saved is None:
            os.environ.pop("FORMSVC_RENDER_CACHE_MB", None)
        else:
            os.environ["FORMSVC_RENDER_CACHE_MB"] = saved
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())  # tottime over every function
    by_package: dict[str, float] = {}
    rows = []
    for (filename, line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        package = _where(filename)
        by_package[package] = by_package.get(package, 0.0) + tottime
        rows.append((tottime, f"{package}: {Path(filename).name}:{line} {name}"))
    rows.sort(reverse=True)
    phases = {
        "data (report_context)": gather_ms,
        "HTML (Jinja)": html_ms,
        "WeasyPrint parse, cascade, layout": layout_ms,
        "WeasyPrint drawing, PDF": draw_ms,
    }
    return {
        "phases_ms": {k: round(v, 1) for k, v in phases.items()},
        "total_ms": round(sum(phases.values()), 1),
        "pages": len(laid_out.pages),
        "pdf_bytes": len(pdf),
        "top": [{"share": round(t / total * 100, 1), "where": w} for t, w in rows[:12]],
        "by_package": {k: round(v / total * 100, 1) for k, v in sorted(by_package.items(), key=lambda kv: -kv[1])},
    }


def show(result: dict) -> None:
    print(f"profile of one report PDF ({result['pages']} pages), CPU ms per phase (median):")
    for phase, ms in result["phases_ms"].items():
        print(f"  {phase:<36} {ms:>8.1f} ms  {ms / result['total_ms'] * 100:5.1f} %")
    print(f"  {'total':<36} {result['total_ms']:>8.1f} ms")
    print("  own time by package (cProfile): " + ", ".join(f"{k} {v} %" for k, v in result["by_package"].items()))
    print("  functions with the most time of their own:")
    for row in result["top"]:
        print(f"    {row['share']:5.1f} %  {row['where']}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.render_profile")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    from bench.__main__ import demo_database
    from formsvc.domain import clock
    from formsvc.store import reports as report_store

    with tempfile.TemporaryDirectory() as tmp:
        db = demo_database(Path(tmp) / "bench.db")
        period = report_store.open_period(db, clock.today()) or 1
        show(profile(db, 5, period, clock.today(), args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
