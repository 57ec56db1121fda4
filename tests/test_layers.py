"""SQL lives in formsvc.store: no other module of the package holds an SQL statement or
calls a connection's execute or query (import-linter checks the imports; this checks
what an import cannot show)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import formsvc

# the start of a statement, in SQL's own capitals, anywhere in a string
STATEMENT = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\bPRAGMA\s+\w+|\bCREATE\s+(TABLE|INDEX|TRIGGER|VIEW)\b|\bBEGIN\s+(IMMEDIATE|EXCLUSIVE)\b"
)
DB_CALLS = {"execute", "executemany", "executescript", "query"}


def sql_in(source: str) -> list[tuple[int, str]]:
    """(line, what) for every SQL string and database call in a module's source."""
    found = []
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if STATEMENT.search(node.value):
                found.append((node.lineno, node.value.strip().splitlines()[0][:60]))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DB_CALLS:
            found.append((node.lineno, f".{node.func.attr}(...)"))
    return sorted(found)


def test_sql_only_in_the_store():
    package = Path(formsvc.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        if package / "store" in path.parents:
            continue
        for line, what in sql_in(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(package)}:{line}: {what}")
    assert found == []


def test_the_scan_finds_sql():
    # the scan must catch what it is for, or the test before it proves nothing
    for source in (
        'one(db, "SELECT value FROM meta WHERE key = ?", [key])',
        'db.query(\n    "SELECT lao_id"\n    " FROM model_lao ORDER BY district_code"\n)',
        'x = f"UPDATE project SET rank = {n} WHERE id = ?"',
        "db.execute(sql)",
        "db.conn.executemany(sql, rows)",
        "rows = conn.query(text)",
        'sql = "INSERT INTO meta (key, value) VALUES (?, ?)"',
        'sql = "DELETE FROM village WHERE id = ?"',
        'db.pragma = "PRAGMA synchronous = OFF"',
    ):
        assert sql_in(source), source
    for source in (
        '"""Reads the rows: SELECT what the page shows FROM the store."""',
        'flash(_("Select a district."))',
        'text = "update the plan, then set the budget"',
        "pool.submit(render, facts)",
    ):
        assert not sql_in(source), source
