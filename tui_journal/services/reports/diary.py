"""Documents for one family: a pupil's week on paper (R-DEP-3) and credential slips (R-ACC-2)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tui_journal.db.models import (
    Attendance,
    Enrollment,
    GuardianLink,
    IndividualHomework,
    Lesson,
    Mark,
    Student,
    Subject,
    User,
    WorkType,
)
from tui_journal.domain import attendance as att
from tui_journal.domain import ru_words as words
from tui_journal.domain.marks import WeightedMark, numeric_value, weighted_average
from tui_journal.domain.text import format_decimal, full_name
from tui_journal.domain.text import homework_line as homework_text
from tui_journal.services import access, accounts
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.errors import InvalidInput, PermissionDenied
from tui_journal.services.journal import class_label, homework_due_dates
from tui_journal.services.reports import common as C
from tui_journal.services.reports import scope as S
from tui_journal.services.reports.context import Ctx, class_ctx
from tui_journal.services.reports.data import group_spans, lesson_is_for, lessons_of, roster
from tui_journal.services.reports.model import Cell, Column, TableModel
from tui_journal.services.reports.params import ReportParams
from tui_journal.services.roster import on_roll

PARENT_WEEKLY = "parent-weekly"
CREDENTIALS = "credentials"

CODE_TEXT = {"н": "н (без ув. пр.)", "б": "б (болезнь)", "у": "у (ув. пр.)", "о": "о (опоздание)"}


def _default_student(actor: Actor, params: ReportParams) -> int:
    """The pupil asked for; a parent of one child (or a pupil) gets that one. Otherwise the
    refusal lists the pupils he may choose from, with their numbers."""
    if params.student_id is not None:
        return params.student_id
    own = access.children_ids(actor) | access.own_student_ids(actor)
    if len(own) == 1:
        return next(iter(own))
    if not own:
        led = access.led_class_ids(actor)
        if led:
            on = params.on
            own = {
                e.student_id
                for e in Enrollment.select(Enrollment.student).where(
                    Enrollment.school_class.in_(list(led))
                    & on_roll(on)
                )
            }
    choices = sorted(
        Student.select().where(Student.id.in_(list(own) or [-1])), key=lambda s: (s.last_name, s.first_name)
    )[:40]
    listed = "; ".join(f"{s.id} — {full_name(s.last_name, s.first_name, s.middle_name)}" for s in choices)
    hint = f": {listed}" if listed else ""
    raise InvalidInput(f"Укажите учащегося номером (--student){hint}")


def authorize_parent_weekly(actor: Actor, params: ReportParams) -> Student:
    return S.student_scope(actor, _default_student(actor, params), "недельный отчёт", class_teacher=True, family=True)


def parent_weekly(actor: Actor, params: ReportParams) -> TableModel:
    """One pupil's week on one page: lessons with topics, marks, absences and homework."""
    student = authorize_parent_weekly(actor, params)
    school = S.school_of(actor)
    on = params.on
    week = S.week_of(on, 7)
    cls = S.class_of_student(actor, student, on)
    name = full_name(student.last_name, student.first_name, student.middle_name)
    rows: list[list[Cell]] = []
    marks_all: list[WeightedMark] = []
    missed: dict[str, int] = defaultdict(int)
    late = 0
    if cls is not None:
        pupil = [p for p in roster(cls.id, week[0], week[-1]) if p.id == student.id]
        groups = group_spans(cls.id)
        lessons = [ls for ls in lessons_of(cls.id, week[0], week[-1]) if pupil and lesson_is_for(pupil[0], ls, groups)]
        ids = [ls.id for ls in lessons] or [-1]
        full = {ls.id: ls for ls in Lesson.select().where(Lesson.id.in_(ids))}
        subjects = {s.id: s for s in Subject.select().where(Subject.school == actor.school_id)}
        work_types = {w.id: w for w in WorkType.select().where(WorkType.school == actor.school_id)}
        marks: dict[int, list[str]] = defaultdict(list)
        for m in Mark.select().where((Mark.student == student.id) & Mark.lesson.in_(ids)).order_by(Mark.position, Mark.id):
            wt = work_types.get(m.work_type_id) if m.work_type_id is not None else None
            label = (wt.short_name or wt.name).lower() if wt is not None else ""
            marks[m.lesson_id].append(f"{m.value} ({label})" if label else m.value)
            points = numeric_value(m.value)
            if points is not None:
                marks_all.append(WeightedMark(points, float(wt.weight) if wt is not None else 1.0))
        codes = {
            a.lesson_id: att.effective_code(a.code, a.corrected_code)
            for a in Attendance.select().where((Attendance.student == student.id) & Attendance.lesson.in_(ids))
        }
        individual = {
            h.lesson_id: h.text
            for h in IndividualHomework.select().where(
                (IndividualHomework.student == student.id) & IndividualHomework.lesson.in_(ids)
            )
        }
        dues = homework_due_dates(
            [full[ls.id] for ls in lessons if full[ls.id].homework or full[ls.id].homework_pages or full[ls.id].homework_tasks]
        )
        shown_day = None
        for ls in lessons:
            lesson = full[ls.id]
            code = codes.get(ls.id)
            if code == att.LATE:
                late += 1
            elif code is not None:
                missed[code] += 1
            homework = homework_text(
                lesson.homework, lesson.homework_pages, lesson.homework_tasks, individual.get(ls.id, "")
            )
            due = dues.get(ls.id)
            if homework and due is not None:
                homework += f" (к {due:%d.%m})"  # the day it is to be done for
            subject = subjects.get(ls.subject_id)
            rows.append(
                [
                    C.short_day(ls.date) if ls.date != shown_day else None,
                    ls.number,
                    subject.name if subject is not None else "",
                    lesson.topic,
                    ", ".join(marks.get(ls.id, [])) or None,
                    CODE_TEXT.get(code, code) if code else None,
                    homework,
                ]
            )
            shown_day = ls.date
    average = weighted_average(marks_all)
    total_missed = sum(missed.values())
    summary = (
        f"За неделю: отметок — {len(marks_all)}"
        + (f", средний балл — {format_decimal(average, 2)}" if average is not None else "")
        + f"; пропущено уроков — {total_missed}"
        + (
            f" (по болезни — {missed.get(att.ILL, 0)}, по уважительной причине — {missed.get(att.VALID, 0)}, "
            f"без уважительной причины — {missed.get(att.ABSENT, 0)})"
            if total_missed
            else ""
        )
        + f"; опозданий — {late}."
    )
    params.tick(1.0)
    return TableModel(
        name=PARENT_WEEKLY,
        title="Сведения об успеваемости и посещаемости за неделю",
        school=school.name,
        params=C.params(
            cls,
            None,
            None,
            Учащийся=name,
            Неделя=f"{C.day(week[0])}–{C.day(week[-1])}",
        ),
        columns=(
            Column("day", "День", 9),
            Column("number", "Урок", 4, "right", True),
            Column("subject", "Предмет", 16),
            Column("topic", "Тема урока", 24),
            Column("marks", "Отметки", 10),
            Column("attendance", "Посещ.", 9),
            Column("homework", "Домашнее задание", 24),
        ),
        rows=rows,
        footnotes=[summary] + ([] if rows else ["Уроков на этой неделе не было."]),
        signatures=(C.CLASS_TEACHER_SIG, "Родитель (законный представитель)"),
        signers=C.signers(school, cls),
        orientation="portrait",
        one_page=True,
    )


# --- credential slips (R-ACC-2) -----------------------------------------------------------


def authorize_credentials(actor: Actor, params: ReportParams) -> Ctx:
    """The admin, or the class's class teacher: the ones accounts.set_password lets issue them."""
    ctx = class_ctx(actor, params, "выдача паролей")
    cls = ctx.need_class()
    if not (actor.has(R.ADMIN) or cls.id in access.led_class_ids(actor)):
        raise access.deny(f"выдача паролей учащимся и родителям {C.of_class(cls)}")
    return ctx


SLIP_NOTE = (
    "Пароль одноразовый: при первом входе журнал попросит придумать свой. "
    "Не сообщайте пароль другим людям; если он утерян, обратитесь к классному руководителю."
)


def connection_rows(login: str, ssh_address: str = "", web_url: str = "") -> list[list[Cell]]:
    """How to reach the journal, for a slip: the SSH command (and PuTTY's fields) and the web
    address when the school has one; without either, whom to ask."""
    rows: list[list[Cell]] = []
    address = ssh_address.strip()
    if address:
        host, port = address, ""
        if address.count(":") == 1:  # «host:port» (an IPv6 address is left whole)
            host, _, port = address.partition(":")
        command = f"ssh -p {port} {login}@{host}" if port and port != "22" else f"ssh {login}@{host}"
        rows.append(["Вход по SSH", command])
        putty = f"PuTTY: адрес {host}" + (f", порт {port}" if port else "") + f", имя {login}"
        rows.append(["", putty])
    if web_url.strip():
        rows.append(["Вход в браузере", web_url.strip()])
    if not rows:
        rows.append(["Как войти", "адрес для входа сообщит администратор журнала"])
    return rows


def slip(
    school: str, name: str, who: str, login: str, password: str, *, ssh_address: str = "", web_url: str = ""
) -> TableModel:
    """One credential slip (a section of the ``credentials`` document): who, login, the
    one-time password and how to connect."""
    return TableModel(
        name=f"{CREDENTIALS}-slip",
        title="Доступ к электронному журналу и дневнику",
        params={"Школа": school},
        columns=(Column("field", "Поле", 20), Column("value", "Значение", 44)),
        rows=[["Пользователь", name], ["Кто", who], ["Логин", login], ["Одноразовый пароль", password],
              *connection_rows(login, ssh_address, web_url)],
        footnotes=[SLIP_NOTE],
        show_header=False,
        orientation="portrait",
    )


def slips_document(
    school: str, title: str, slips: list[TableModel], *, name: str = CREDENTIALS,
    params: dict[str, str] | None = None, footnotes: list[str] | None = None,
) -> TableModel:
    """The ``credentials`` document: slips separated by cut lines, portrait."""
    return TableModel(
        name=name,
        title=title,
        school=school,
        params=params or {},
        footnotes=footnotes or [],
        sections=slips,
        section_break="cut",
        orientation="portrait",
    )


@dataclass(frozen=True)
class Credential:
    """One person's slip: who he is, his login and the one-time password just issued."""

    name: str
    who: str
    login: str
    password: str


def credentials_document(
    school: str,
    title: str,
    people: Sequence[Credential],
    *,
    ssh_address: str = "",
    web_url: str = "",
    name: str = CREDENTIALS,
    params: dict[str, str] | None = None,
) -> TableModel:
    """The ``credentials`` document of passwords issued on a screen (one account, or a
    class's slips): a slip per person with how to connect, separated by cut lines."""
    slips = [
        slip(school, p.name, p.who, p.login, p.password, ssh_address=ssh_address, web_url=web_url) for p in people
    ]
    return slips_document(school, title, slips, name=name, params=params)


def credentials(actor: Actor, params: ReportParams) -> TableModel:
    """Slips with a login and a new one-time password for each pupil of a class and each of
    their parents, separated by cut lines. Passwords are set through accounts.set_password."""
    ctx = authorize_credentials(actor, params)
    cls = ctx.need_class()
    label = class_label(cls)
    pupils = [p for p in roster(cls.id, ctx.on, ctx.on)]
    school_name = ctx.school.short_name or ctx.school.name
    targets: list[tuple[User, str, str]] = []
    without: list[str] = []
    parents: dict[int, tuple[User, str, list[str]]] = {}
    order: list[tuple[str, int]] = []  # ("pupil", user id) or ("parent", user id), in print order
    users: dict[int, tuple[User, str, str]] = {}
    for pupil in pupils:
        user = User.get_or_none(User.id == pupil.user_id) if pupil.user_id is not None else None
        if user is not None and user.state != "removed":
            sex = words.sex_of(pupil.middle_name, pupil.sex)
            users[user.id] = (user, pupil.full, f"{words.gendered('Учащийся', sex)} {C.of_class(cls)}")
            order.append(("pupil", user.id))
        else:
            without.append(pupil.short)
        links = (
            GuardianLink.select(GuardianLink, User)
            .join(User, on=(GuardianLink.parent == User.id))
            .where(GuardianLink.student == pupil.id)
            .order_by(User.last_name, User.first_name)
        )
        for link in links:
            parent = link.parent
            if parent.state == "removed":
                continue
            if parent.id not in parents:
                parents[parent.id] = (parent, (link.relation or "родитель").strip(), [])
                order.append(("parent", parent.id))
            parents[parent.id][2].append(f"{pupil.full} ({label})")
    for kind, user_id in order:
        if kind == "pupil":
            targets.append(users[user_id])
            continue
        parent, relation, children = parents[user_id]
        whose = "учащегося" if len(children) == 1 else "учащихся"
        who = f"{relation[:1].upper()}{relation[1:]} {whose}: {', '.join(children)}"
        targets.append((parent, full_name(parent.last_name, parent.first_name, parent.middle_name), who))
    slips: list[TableModel] = []
    refused: list[str] = []
    for user, name, who in params.each(targets):
        try:
            password = accounts.set_password(actor, user.login)
        except PermissionDenied:
            refused.append(f"{name} ({user.login})")
            continue
        slips.append(slip(school_name, name, who, user.login, password,
                          ssh_address=params.ssh_address, web_url=params.web_url))
    footnotes = [f"Выдано паролей: {len(slips)}. Прежние пароли этих пользователей больше не действуют."]
    if without:
        footnotes.append("Нет учётной записи (создаёт администратор журнала): " + ", ".join(without))
    if refused:
        footnotes.append(
            "Пароль выдаёт только администратор (у пользователя есть и другие роли): " + ", ".join(refused)
        )
    return slips_document(
        ctx.school.name, f"Учётные данные учащихся и родителей {C.of_class(cls)}", slips,
        params=C.params(cls, None, ctx.on, Выдал=actor.name), footnotes=footnotes,
    )
