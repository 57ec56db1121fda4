"""A national data set for benchmarks: `formsvc demo-national`.

One model LAO in every district (อำเภอ) of the country from geothai that has none yet,
each the size of a real one: 15 villages or communities, a working group from the
guideline with its operation plan and issued order, 25 forums (every village, some
twice, and two LAO forums) with members, participants and agenda items, 60 projects
with plan and budget marks, and reports in every reporting period. The LAOs end in
different states (about half meet all five criteria), drawn from a fixed seed, so two
runs give the same data.

Everything is written through the store functions the app uses, by this process; the
documents (orders and the reports' frozen versions) are rendered in a process pool, one
worker per core, while the next LAOs are written: an LAO's order as soon as its data is
in, its reports as soon as its order is issued (``_Pipeline``), so the cores render from
the start to the end. The rows are those of building it one phase after another (all
the data, all the orders, then period by period; tests/test_national.py compares the
two). Rendering is most of the time: about 0.9 s of CPU per LAO (0.17 s its order,
0.19 s each of its four frozen reports, PDF and DOCX), against 0.1 s for its writes.
Period 5, the period just ended, is left unfiled (drafts and missing reports), so
exporting it renders every form.
"""

from __future__ import annotations

import datetime as _dt
import queue
import random
import time
from collections.abc import Callable

from formsvc import render_pool, services
from formsvc.demo import FIRST_NAMES, SURNAMES
from formsvc.domain import clock, thai
from formsvc.store import forums as forum_store
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import projects as project_store
from formsvc.store import reports as report_store
from formsvc.store import working_group as wg_store
from formsvc.store.db import set_synchronous
from formsvc.store.errors import InputError

VILLAGES = 15
SECOND_ROUNDS = 8  # villages that hold a second forum
PROJECTS = 60
VILLAGE_WORDS = (
    "หนองบัว",
    "โนนสูง",
    "ดอนแดง",
    "นาคำ",
    "โคกกลาง",
    "หัวขัว",
    "สร้างแก้ว",
    "ป่าติ้ว",
    "คำน้อย",
    "ห้วยทราย",
    "บ่อแก",
    "นาดี",
    "โพนทอง",
    "ดงบัง",
    "หนองแวง",
    "ท่าลาด",
    "กุดเวียน",
    "นาแก",
)
PROJECT_WORDS = (
    "ก่อสร้างถนนคอนกรีตเสริมเหล็ก",
    "ขุดลอกลำห้วย",
    "ขยายเขตไฟฟ้าแรงต่ำ",
    "ก่อสร้างรางระบายน้ำ",
    "ส่งเสริมอาชีพการทอผ้า",
    "ฝึกอบรมการทำปุ๋ยอินทรีย์",
    "จัดซื้อวัสดุการแพทย์ รพ.สต.",
    "ป้องกันโรคไข้เลือดออก",
    "ส่งเสริมการออกกำลังกายผู้สูงอายุ",
    "ปรับปรุงศาลาประชาคม",
    "ขุดเจาะบ่อบาดาล",
    "ติดตั้งไฟฟ้าส่องสว่างทางสาธารณะ",
    "ส่งเสริมกลุ่มวิสาหกิจชุมชน",
    "อนุรักษ์ป่าชุมชน",
    "จัดการขยะต้นทาง",
)
ACTIVITIES = (
    "ประชุมคณะทำงานกำหนดแผนการดำเนินงาน",
    "จัดเวทีประชาคมหมู่บ้านทบทวนแผนชุมชน",
    "จัดเวทีประชาคมระดับตำบลบูรณาการแผนชุมชน",
    "นำโครงการเข้าแผนพัฒนาท้องถิ่น",
    "นำโครงการเข้าร่างข้อบัญญัติงบประมาณ",
    "ติดตามและรายงานผลทุก ๒ เดือน",
)
PERIOD_TEXT = "จัดเวทีประชาคมหมู่บ้านตามแผน ทบทวนแผนชุมชน และรวบรวมโครงการเสนอเข้าแผนพัฒนาท้องถิ่น"


def _name(rng: random.Random) -> str:
    return f"{rng.choice(('นาย', 'นาง', 'นางสาว'))}{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def _districts(db, year: int, limit: int | None) -> list[dict]:
    rows = lao_store.districts_without_model_lao(db, year)
    return [r for r in rows if r["subdistrict_code"]][:limit]


class _Plan:
    """What one LAO will look like (drawn once from the seed)."""

    def __init__(self, rng: random.Random):
        self.municipality = rng.random() < 0.25
        self.no_order = rng.random() < 0.08  # criterion 1 not met
        self.missing_village = rng.random() < 0.12  # criterion 2
        self.lao_alone = rng.random() < 0.08  # criterion 3: LAO forum without ศอช.ต./สอช.
        self.in_plan = rng.choice((4, 8, 10, 12, 14, 18)) if rng.random() < 0.85 else rng.choice((0, 3, 6))
        self.in_budget = max(0, round(self.in_plan * rng.choice((0.0, 0.2, 0.3, 0.5))))
        draws = [rng.random() for _ in range(5)]
        self.reports = [
            "acknowledged" if draws[0] < 0.95 else "returned",
            "acknowledged" if draws[1] < 0.93 else "returned",
            "acknowledged" if draws[2] < 0.9 else "returned",
            ("acknowledged", "submitted", "returned", "draft")[
                (draws[3] > 0.5) + (draws[3] > 0.75) + (draws[3] > 0.85)
            ],
            "draft" if draws[4] < 0.5 else None,  # period 5: being written now, or not begun
        ]


def _build_lao(db, district: dict, plan: _Plan, rng: random.Random, year: int, dimensions: list[str]) -> int:
    kind = "tambon_municipality" if plan.municipality else "tao"
    name = district["subdistrict_name"]
    try:
        lao_id = lao_store.create_lao(
            db, lao_store.LaoInput(name, kind, district["code"], [district["subdistrict_code"]])
        )
    except InputError:  # an LAO of that name is there already
        lao_id = lao_store.create_lao(
            db, lao_store.LaoInput(f"{name} {district['code']}", kind, district["code"], [district["subdistrict_code"]])
        )
    words = rng.sample(VILLAGE_WORDS, len(VILLAGE_WORDS))
    for n in range(1, VILLAGES + 1):
        lao_store.add_village(
            db,
            lao_id,
            n if kind == "tao" else None,
            f"{'บ้าน' if kind == 'tao' else 'ชุมชน'}{words[(n - 1) % len(words)]}" + ("" if n <= len(words) else f" {n}"),
        )
    lao_store.select_model_lao(db, district["code"], year, lao_id, None)
    members = wg_store.guideline_members(db, lao_id)
    for member in members:
        member["name"] = _name(rng)
    group = wg_store.get_group(db, lao_id, year)
    wg_store.save_group(
        db,
        lao_id,
        year,
        reason=group["reason"],
        duties=group["duties"],
        signer_name=members[0]["name"],
        signer_position=members[0]["position"],
        members=members,
        user_id=None,
    )
    year_ce = thai.ce_year(year)
    wg_store.save_activities(
        db,
        lao_id,
        year,
        [
            {
                "activity": a,
                "start_month": f"{year_ce}-{1 + i:02d}",
                "end_month": f"{year_ce}-{2 + i:02d}",
                "responsible": "คณะทำงานระดับท้องถิ่น",
                "status": "done" if i < 4 else "in_progress",
            }
            for i, a in enumerate(ACTIVITIES)
        ],
        None,
    )
    villages = lao_store.villages(db, lao_id)
    held = villages[:-1] if plan.missing_village else villages
    rounds = held + rng.sample(held, SECOND_ROUNDS)
    for i, village in enumerate(rounds):
        committee = "community_committee" if village["kind"] == "community" else "village_committee"
        first = i < len(held)
        male, female = 15 + rng.randrange(15), 15 + rng.randrange(20)
        forum_store.create_forum(
            db,
            lao_id,
            forum_store.ForumInput(
                level="village",
                village_id=village["id"],
                held_on=_dt.date(year_ce, 2 if first else 4, 1 + i % 27),
                start_time="09:00",
                end_time="12:00",
                place=f"ศาลาประชาคม{village['label']}",
                title=f"เวทีประชาคม{village['label']} ทบทวนแผนชุมชน",
                organisers=[committee],
                used_bmn=True,
                used_village_data=village["kind"] == "village",
                bmn_year=year_ce + 543 - 1,
                village_data_year=year_ce + 543 - 1 if village["kind"] == "village" else None,
                dimensions=dimensions,
                head_count=male + female,
                head_count_male=male,
                head_count_female=female,
                meeting_no=1 if first else 2,
                recorder_name=_name(rng),
                recorder_position="เลขานุการคณะกรรมการ",
                attendees=[
                    {"kind": "present", "name": _name(rng), "position": role}
                    for role in ("ประธานคณะกรรมการ", "รองประธาน", *("กรรมการ",) * 10)
                ]
                + [{"kind": "absent", "name": _name(rng), "position": "กรรมการ", "absence_reason": "ติดราชการ"}]
                + [{"kind": "participant", "name": _name(rng), "position": "ผู้แทนครัวเรือน"} for _ in range(6)],
                agenda=[
                    {"title": t, "discussion": d, "resolution": r}
                    for t, d, r in (
                        ("เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", "แจ้งวัตถุประสงค์ของเวที", "รับทราบ"),
                        ("เรื่องเพื่อพิจารณา", "ทบทวนแผนชุมชนด้วยข้อมูล จปฐ. และ กชช. ๒ค", "เห็นชอบแผนชุมชนฉบับทบทวน"),
                        ("เรื่องอื่น ๆ", "ไม่มี", "-"),
                    )
                ],
            ),
            None,
        )
    organisers = ["lao"] if plan.lao_alone else ["ctc", "coc", "plan_leaders"]
    lao = lao_store.get_lao(db, lao_id)
    for n, projects in (
        (1, []),
        (
            2,
            [
                {
                    "rank": k + 1,
                    "name": f"{PROJECT_WORDS[k % len(PROJECT_WORDS)]} {villages[k % len(villages)]['label']}",
                    "dimension": dimensions[k % len(dimensions)],
                    "village_id": villages[k % len(villages)]["id"],
                }
                for k in range(PROJECTS)
            ],
        ),
    ):
        forum_store.create_forum(
            db,
            lao_id,
            forum_store.ForumInput(
                level="lao",
                held_on=_dt.date(year_ce, 5, 10 * n),
                start_time="09:00",
                end_time="15:30",
                place=f"หอประชุม{lao['full_name']}",
                title=f"เวทีประชาคมระดับ{lao['full_name']} ครั้งที่ {n}",
                organisers=organisers,
                used_bmn=True,
                used_village_data=True,
                bmn_year=year_ce + 543 - 1,
                village_data_year=year_ce + 543 - 1,
                dimensions=dimensions,
                head_count=70 + n,
                head_count_male=35,
                head_count_female=35 + n,
                meeting_no=n,
                recorder_name=_name(rng),
                recorder_position="นักวิเคราะห์นโยบายและแผน",
                checker_name=_name(rng),
                checker_position="ปลัด อปท.",
                attendees=[{"kind": "present", "name": _name(rng), "position": f"ผู้แทน{v['label']}"} for v in villages]
                + [{"kind": "participant", "name": _name(rng), "position": "พัฒนากรผู้รับผิดชอบตำบล"}],
                agenda=[
                    {
                        "title": "เรื่องเพื่อพิจารณา",
                        "discussion": "บูรณาการโครงการจากแผนชุมชน",
                        "resolution": "เห็นชอบบัญชีโครงการตามลำดับ",
                    }
                ],
                projects=projects,
            ),
            None,
        )
    within = PROJECTS - rng.randrange(4, 10)
    project_store.set_plan_marks_by_rank(
        db,
        lao_id,
        [
            (
                int(rank <= within),
                int(rank <= plan.in_plan),
                f"ผ.02 ลำดับ {rank}" if rank <= plan.in_plan else "",
                int(rank <= plan.in_budget),
                (150000 + 10000 * rank) * 100 if rank <= plan.in_budget else None,
                rank,
            )
            for rank in range(1, PROJECTS + 1)
        ],
    )
    return lao_id


REPORT_VALUES = {
    "problems": "งบประมาณจัดเวทีมีจำกัด",
    "suggestions": "",
    "reporter_name": "นายสมชาย ใจดี",
    "reporter_position": "ปลัด อปท.",
}
RETURN_COMMENT = "กรุณาแนบรายชื่อผู้เข้าร่วมเวที"


class _Pipeline:
    """The documents of the LAOs built so far, in the pool while the next LAOs are
    written. Each LAO goes through the steps a clerk and the district would take, in
    order: its order rendered (in the pool) and issued; then its reports saved as drafts
    and the filed ones rendered (in the pool, all periods at once: a report's form reads
    its own period's draft and what the criteria rest on, which no other period's
    submission changes); then, when all of them are back, submitted and reviewed period
    by period. Every write happens here, in the calling process, through the store
    functions; the pool only renders. The pool tells of each finished document through
    a queue, so that writing never waits on one document while another is ready."""

    def __init__(self, db, pool: render_pool.RenderPool, year: int, order_day: _dt.date, days: dict[int, _dt.date]):
        self.db, self.pool, self.year, self.order_day, self.days = db, pool, year, order_day, days
        self.done: queue.SimpleQueue = queue.SimpleQueue()
        self.waiting = 0  # documents in the pool
        self.reports: dict[int, list] = {}  # lao_id: [(period, status, future)] not written yet
        self.left: dict[int, int] = {}  # lao_id: its reports still in the pool
        self.counts = {"orders": 0, "submissions": 0}

    def _watch(self, future, what: tuple) -> None:
        self.waiting += 1
        future.add_done_callback(lambda f: self.done.put(what))

    def add(self, lao_id: int, plan: _Plan) -> None:
        """The LAO's data is written: start on its documents."""
        if plan.no_order:
            self._draft_reports(lao_id, plan)
            return
        facts, _ = wg_store.next_order(self.db, lao_id, self.year, self.order_day, self.order_day, None)
        future = self.pool.order(lao_id, facts)
        self._watch(future, ("order", lao_id, plan, facts, future))

    def _draft_reports(self, lao_id: int, plan: _Plan) -> None:
        filed = []
        for number in self.days:  # periods begun, in order
            status = plan.reports[min(number, 5) - 1] if number <= 5 else None
            if status is None:
                continue
            values = {"progress": f"รอบที่ {number}: {PERIOD_TEXT}", **REPORT_VALUES}
            report_store.save_draft(self.db, lao_id, number, values, None)
            if status != "draft":
                filed.append((number, status))
        if not filed:
            return
        self.reports[lao_id], self.left[lao_id] = [], len(filed)
        for number, status in filed:
            future = self.pool.report(lao_id, number, ("pdf", "docx"), draft=False, today=self.days[number])
            self.reports[lao_id].append((number, status, future))
            self._watch(future, ("report", lao_id))

    def _finished(self, what: tuple) -> None:
        self.waiting -= 1
        if what[0] == "order":
            _, lao_id, plan, facts, future = what
            render = wg_store_renderer(self.db, lao_id, facts, future.result())
            services.issue_order(self.db, lao_id, self.order_day, self.order_day, None, render=render)
            self.counts["orders"] += 1
            self._draft_reports(lao_id, plan)
            return
        lao_id = what[1]
        self.left[lao_id] -= 1
        if self.left[lao_id]:
            return  # its other periods are still in the pool
        del self.left[lao_id]
        for number, status, future in self.reports.pop(lao_id):
            result = future.result()
            day = self.days[number]
            report_store.submit(self.db, lao_id, number, None, day, lambda report, r=result: r)
            if status != "submitted":
                comment = RETURN_COMMENT if status == "returned" else ""
                report_store.review(self.db, lao_id, number, status, comment, None)
            self.counts["submissions"] += 1

    def write_finished(self, wait: bool = False) -> None:
        """Write what the pool has finished; with ``wait``, until nothing is left in it."""
        while self.waiting:
            try:
                what = self.done.get(block=wait)
            except queue.Empty:
                return
            self._finished(what)


def load(
    db,
    *,
    districts: int | None = None,
    seed: int = 2569,
    workers: int | None = None,
    say: Callable[[str], None] = lambda text: None,
) -> dict:
    """Add the national data set; returns counts and timings (``build_s``: until the
    last LAO's data was written; ``render_s``: the documents still in the pool then)."""
    started = time.perf_counter()
    prog = programme_store.get_programme(db)
    year, dimensions = prog.year_be, programme_store.dimensions(db)
    late = report_store.late_days(db)
    # each period begun: the day its reports are sent, three days before the due day
    days = {
        p.number: min(p.due(late) - _dt.timedelta(days=3), clock.today())
        for p in report_store.programme_periods(db)
        if p.start <= clock.today()
    }
    # orders: number 1 of each LAO, dated in the first month of the programme
    order_day = _dt.date(thai.ce_year(year), prog.start_month, 15)
    todo = _districts(db, year, districts)
    rng = random.Random(seed)
    set_synchronous(db, full=False)  # a bulk load: a crash means starting again, not lost work
    try:
        with render_pool.RenderPool(render_pool.database_path(db), workers) as pool:
            work = _Pipeline(db, pool, year, order_day, days)
            for i, district in enumerate(todo, 1):
                plan = _Plan(rng)
                work.add(_build_lao(db, district, plan, rng, year, dimensions), plan)
                work.write_finished()
                if i % 50 == 0 or i == len(todo):
                    done = f"คำสั่ง {work.counts['orders']} ฉบับ รายงาน {work.counts['submissions']} ฉบับ"
                    say(f"อปท.ต้นแบบ {i}/{len(todo)} ({done})")
            built = time.perf_counter()
            work.write_finished(wait=True)
    finally:
        set_synchronous(db, full=True)
    say(f"คำสั่ง {work.counts['orders']} ฉบับ รายงานที่ส่งแล้ว {work.counts['submissions']} ฉบับ")
    return {
        "laos": len(todo),
        **work.counts,
        "build_s": round(built - started, 1),
        "render_s": round(time.perf_counter() - built, 1),
        "workers": pool.workers,
    }


def wg_store_renderer(db, lao_id: int, facts: dict, files: dict[str, bytes]):
    """The order's renderer: the pool's files when the order says what they were made
    from (it always does, unless the data changed meanwhile), else a render here."""

    def render(actual: dict) -> dict[str, bytes]:
        return files if actual == facts else services.order_renderer(db, lao_id)(actual)

    return render
