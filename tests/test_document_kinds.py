"""One home per document kind: a ``Kind`` registered in formsvc.documents.kinds.KINDS
(with its two templates) is served by services.document(), by `formsvc render` and by
the download route /laos/<id>/documents/<kind>.<fmt>, in PDF and DOCX, without any of
them changed; taken out of the registry, it is gone from all three."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from docx import Document

from formsvc import services
from formsvc.cli import main
from formsvc.documents import engine, kinds
from formsvc.documents.context import with_digits
from formsvc.domain import thai
from formsvc.domain.errors import NotFound
from formsvc.store import forums as forum_store
from formsvc.store import laos as lao_store
from tests.conftest import login
from tests.docs import docx_blocks, pdf_text

NAME = "forum-note"
HEADING = "บันทึกเวทีสำหรับทดสอบ"

HTML = """{% extends "documents/_base.html" %}
{% block title %}{{ ctx.heading }}{% endblock %}
{% block body %}<p class="title">{{ ctx.heading }}</p><p>{{ ctx.forum_title }}</p>
<p>{{ ctx.lao_name }} จำนวน {{ ctx.lines }} บรรทัด</p>{% endblock %}
"""


def _source(db, ask: kinds.Ask) -> kinds.Made:
    forum = forum_store.get_forum(db, ask.lao, ask.forum)
    lao = lao_store.get_lao(db, ask.lao)
    context = {"heading": HEADING, "forum_title": forum["title"], "lao_name": lao["name"], "lines": str(ask.rows or 7)}
    return kinds.Made(with_digits(context, lao["digit_style"]))


@pytest.fixture
def note_kind(tmp_path):
    """A throw-away kind of a forum, taking ``rows``, its templates in a folder of its own."""
    (tmp_path / "docx").mkdir()
    (tmp_path / "html" / "documents").mkdir(parents=True)
    doc = Document()
    for line in ("{{ heading }}", "{{ forum_title }}", "{{ lao_name }} จำนวน {{ lines }} บรรทัด"):
        doc.add_paragraph(line)
    doc.save(str(tmp_path / "docx" / f"{NAME}.docx"))
    (tmp_path / "html" / "documents" / f"{NAME}.html").write_text(HTML, encoding="utf-8")
    kind = kinds.register(
        kinds.Kind(
            NAME,
            "บันทึกทดสอบ",
            of="forum",
            options=("rows",),
            filename="forum-note-{forum}.{fmt}",
            source=_source,
            templates=tmp_path,
        )
    )
    yield kind
    kinds.unregister(NAME)


def _words(db):
    """The forum's title and, for a number of lines, the last line of the note."""
    lao = lao_store.get_lao(db, 1)
    title = thai.digits(forum_store.get_forum(db, 1, 1)["title"], lao["digit_style"])
    return title, lambda n: thai.digits(f"{lao['name']} จำนวน {n} บรรทัด", lao["digit_style"])


def _flat(text: str) -> str:
    return "".join(text.split())


def test_a_registered_kind_is_made_by_the_service_in_both_formats(db, note_kind):
    title, line = _words(db)
    pdf, pdf_name = services.document(db, 1, NAME, "pdf", forum_id=1, rows=12)
    docx, docx_name = services.document(db, 1, NAME, "docx", forum_id=1, rows=12)
    assert (pdf_name, docx_name) == ("forum-note-1.pdf", "forum-note-1.docx")
    assert pdf.startswith(b"%PDF")
    text = _flat(pdf_text(pdf))
    assert _flat(HEADING) in text and _flat(title) in text and _flat(line(12)) in text
    assert docx_blocks(docx) == [HEADING, title, line(12)]
    with pytest.raises(NotFound):  # of a forum: without one there is nothing to make
        services.document(db, 1, NAME, "pdf")


def test_a_registered_kind_is_rendered_by_the_cli(db, db_path, tmp_path, note_kind):
    title, line = _words(db)
    env = {"FORMSVC_DB": str(db_path)}
    for fmt in ("pdf", "docx"):
        out = tmp_path / f"note.{fmt}"
        args = ["render", NAME, "--lao", "1", "--forum", "1", "--rows", "9", "--format", fmt, "--out", str(out)]
        result = CliRunner().invoke(main, args, env=env)
        assert result.exit_code == 0, result.output
        content = out.read_bytes()
        text = _flat(pdf_text(content)) if fmt == "pdf" else _flat("".join(docx_blocks(content)))
        assert _flat(title) in text and _flat(line(9)) in text
    missing = CliRunner().invoke(main, ["render", NAME, "--lao", "1", "--format", "pdf", "--out", str(out)], env=env)
    assert missing.exit_code == 2 and f"{NAME} ต้องระบุ --forum" in missing.output
    absent = ["render", NAME, "--lao", "1", "--forum", "999", "--format", "pdf", "--out", str(out)]
    result = CliRunner().invoke(main, absent, env=env)
    assert result.exit_code == 1 and "ไม่พบบันทึกทดสอบของ อปท. รหัส 1 เวทีรหัส 999" in result.output


def test_a_registered_kind_is_downloaded_from_the_page_route(client, db, note_kind):
    title, line = _words(db)
    login(client, "clerk")
    pdf = client.get(f"/laos/1/documents/{NAME}.pdf?forum=1&rows=15")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert _flat(line(15)) in _flat(pdf_text(pdf.data))
    docx = client.get(f"/laos/1/documents/{NAME}.docx?forum=1")
    assert docx.status_code == 200 and "forum-note-1.docx" in docx.headers["Content-Disposition"]
    assert docx_blocks(docx.data)[1:] == [title, line(7)]
    assert client.get(f"/laos/1/documents/{NAME}.pdf").status_code == 404  # no forum
    assert client.get(f"/laos/1/documents/{NAME}.pdf?forum=x").status_code == 404
    assert client.get(f"/laos/3/documents/{NAME}.pdf?forum=1").status_code == 404  # LAO 3: not the clerk's


def test_an_unregistered_kind_is_gone_everywhere(client, db, db_path, tmp_path, note_kind):
    services.document(db, 1, NAME, "docx", forum_id=1)  # its template is in the engine's cache now
    kinds.unregister(NAME)
    assert NAME not in kinds.KINDS and NAME not in engine.engine().docx_bytes
    with pytest.raises(NotFound):
        services.document(db, 1, NAME, "pdf", forum_id=1)
    login(client, "clerk")
    assert client.get(f"/laos/1/documents/{NAME}.pdf?forum=1").status_code == 404
    args = ["render", NAME, "--lao", "1", "--forum", "1", "--format", "pdf", "--out", str(tmp_path / "x.pdf")]
    result = CliRunner().invoke(main, args, env={"FORMSVC_DB": str(db_path)})
    assert result.exit_code == 2 and "Invalid value" in result.output and not (tmp_path / "x.pdf").exists()


def test_a_kind_is_never_made_without_what_it_is_of(client, db):
    # a source may count on what its kind needs: this one would make a document
    # without looking at the period, so only the registry stands in the way
    kinds.register(
        kinds.Kind("period-note", "บันทึกรอบทดสอบ", of="period", source=lambda db, ask: kinds.Made(content=b"x"))
    )
    try:
        assert services.document(db, 1, "period-note", "pdf", period=1) == (b"x", "period-note.pdf")
        with pytest.raises(NotFound):
            services.document(db, 1, "period-note", "pdf")
        login(client, "clerk")
        assert client.get("/laos/1/documents/period-note.pdf").status_code == 404
        assert client.get("/laos/1/documents/period-note.pdf?period=1").data == b"x"
    finally:
        kinds.unregister("period-note")


def test_every_registered_kind_has_its_templates_and_is_a_cli_choice():
    command = main.commands["render"]
    choices = next(p for p in command.params if p.name == "kind").type.choices
    assert choices == tuple(kinds.KINDS)
    assert {"order", "minutes", "report", "district-summary", "certificate"} <= set(kinds.KINDS)
    for kind in kinds.KINDS.values():
        assert kind.source is not None and kind.docx_template.is_file(), kind.name
        assert (kind.templates / "html" / kind.html_template).is_file(), kind.name


def test_a_kind_of_something_unknown_is_refused():
    with pytest.raises(ValueError):
        kinds.Kind("x", "x", of="village")
    with pytest.raises(ValueError):
        kinds.Kind("x", "x", options=("colour",))


def test_the_cli_renders_a_kind_of_a_district_as_the_page_serves_it(client, db_path, tmp_path):
    env = {"FORMSVC_DB": str(db_path)}
    out = tmp_path / "summary.docx"
    args = ["render", "district-summary", "--district", "3701", "--period", "1", "--format", "docx", "--out", str(out)]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    login(client, "district")
    page = client.get("/districts/3701/summary.docx?period=1")
    # the same document, but the page's is signed by who downloads it (the CLI's has dotted lines)
    cli_blocks, page_blocks = docx_blocks(out.read_bytes()), docx_blocks(page.data)
    compiler = "(" + "." * 40 + ")"
    assert compiler in cli_blocks and compiler not in page_blocks
    signed = cli_blocks.index(compiler)
    assert cli_blocks[:signed] == page_blocks[:signed] and len(cli_blocks) == len(page_blocks)
    no_district = CliRunner().invoke(main, args[:2] + args[4:], env=env)
    assert no_district.exit_code == 2 and "district-summary ต้องระบุ --district" in no_district.output
    no_lao = CliRunner().invoke(main, ["render", "order", "--format", "pdf", "--out", str(out)], env=env)
    assert no_lao.exit_code == 2 and "order ต้องระบุ --lao" in no_lao.output
    unknown = CliRunner().invoke(main, args[:2] + ["--district", "9999"] + args[4:], env=env)
    assert unknown.exit_code == 1 and "ไม่พบแบบสรุปผลระดับอำเภอของ อำเภอรหัส 9999 รอบรายงานที่ 1" in unknown.output
