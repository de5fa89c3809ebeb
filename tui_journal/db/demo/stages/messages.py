"""The demo's communication and its audit row: announcements for the school and for
classes, messages between staff and parents up to today, and the one audit row saying
what was generated.
"""

from __future__ import annotations

import datetime as dt

from tui_journal.db import models as m
from tui_journal.db.demo import catalog as C
from tui_journal.db.demo.stages.state import DEMO_ACTOR, BuilderState, at_time
from tui_journal.domain.ru_words import ON_WEEKDAY


class MessageStage(BuilderState):
    """Announcements, messages and the audit row."""

    def _communication(self) -> None:
        rng = self.rng("messages")
        ref = self.ref
        if self.today < dt.date(2026, 8, 25):
            return
        seven_a = self.by_name["7А"]
        parents_7a = []
        for pupil, _s, end in seven_a.roll:
            if end is None:
                parents_7a += [uid for uid, _rel in pupil.family.parents if uid not in parents_7a]
        announcements = [
            (dt.date(2026, 8, 27), None, self.staff["director"], "День знаний",
             "1 сентября в 8:00 — торжественная линейка на школьном дворе. Первый урок — «Разговоры о важном»."),
            (dt.date(2026, 9, 18), None, self.staff["deputy"], "Школьный этап всероссийской олимпиады",
             "С 28 сентября по 23 октября проходит школьный этап ВсОШ. График — на сайте школы и у классных руководителей."),
            (dt.date(2026, 10, 19), None, self.staff["director"], "Осенние каникулы",
             "Осенние каникулы — с 25 октября по 4 ноября. 5 ноября — занятия по расписанию."),
            (dt.date(2026, 11, 16), None, self.staff["director"], "Общешкольное родительское собрание",
             "27 ноября в 18:00 в актовом зале: итоги первой четверти, питание, безопасность зимой."),
            (dt.date(2026, 11, 18), None, self.staff["deputy"], "Итоговое сочинение",
             "Итоговое сочинение для 11 классов — 2 декабря в 10:00. Памятка — у классных руководителей."),
            (dt.date(2026, 12, 21), None, self.staff["director"], "Зимние каникулы",
             "Зимние каникулы — с 29 декабря по 11 января. 12 января — занятия по расписанию."),
            (dt.date(2026, 9, 22), self.by_name["1А"].id, self.by_name["1А"].teacher, "Посвящение в первоклассники",
             "Праздник «Посвящение в первоклассники» — 30 сентября в 12:30 в актовом зале. Родители приглашаются."),
            (dt.date(2026, 10, 5), seven_a.id, seven_a.teacher, "Экскурсия в краеведческий музей",
             "14 октября после 4 урока классом идём в краеведческий музей. С собой — 150 ₽ на билет."),
            (dt.date(2026, 11, 20), seven_a.id, seven_a.teacher, "Классный час",
             "В пятницу классный час «Безопасность на льду». Явка обязательна."),
            (dt.date(2026, 11, 10), self.by_name["9А"].id, self.by_name["9А"].teacher, "Пробный ОГЭ по математике",
             "Пробный экзамен по математике — 3 декабря, 1–4 уроки. При себе — ручка с чёрной пастой, линейка."),
            (dt.date(2026, 10, 12), self.by_name["ГКП"].id, self.educator, "Осенний утренник",
             "Осенний утренник — 22 октября в 10:00. Костюмы: листочки, грибочки, ёжики."),
        ]
        for day, class_id, author, title, body in announcements:
            if day <= ref:
                self.rows.add(
                    m.Announcement, school=self.school, school_class=class_id, author=author, title=title,
                    body=body, published_at=at_time(day, dt.time(9, 30), rng.randint(0, 300)),
                )
        if ref < dt.date(2026, 9, 10):
            return
        key = self.key
        parent_uid = next(uid for uid, rel in self.key_pupil.family.parents
                          if rel == ("мать" if key.parent_is_mother else "отец"))
        rus_teacher = self.teacher_for[(seven_a.id, "rus", 0)]
        kid = self.key_pupil.person

        def send(day: dt.date, sender: int, subject: str, body: str, to: list[int], about: int | None = None,
                 read_share: float = 0.7) -> None:
            sent = at_time(day, dt.time(15, 0), rng.randint(0, 240))
            mid = self.rows.add(
                m.Message, school=self.school, sender=sender, subject=subject, body=body, sent_at=sent,
                about_student=about,
            )
            for uid in to:
                read_day = day + dt.timedelta(days=rng.randint(0, 2))
                read = at_time(read_day, dt.time(19, 0), rng.randint(0, 180)) if rng.random() < read_share else None
                if read is not None and read.date() > ref:
                    read = None
                self.rows.add(m.MessageRecipient, message=mid, user=uid, read_at=read)

        send(max(C.YEAR_START, ref - dt.timedelta(days=8)), self.staff["deputy"],
             "Заполнение электронного журнала",
             "Коллеги, до пятницы заполните, пожалуйста, темы уроков и домашние задания за прошедшие недели. "
             "Отметки за контрольные работы выставляются не позднее чем через 3 дня.",
             [t.id for t in self.teachers if t.areas[0] != "preschool"])
        send(max(C.YEAR_START, ref - dt.timedelta(days=5)), seven_a.teacher, "Родительское собрание 7А",
             "Уважаемые родители! Приглашаю вас на родительское собрание в четверг в 18:30, "
             f"{self._room_name(self.key_teacher.room)}. Повестка: итоги четверти, экскурсия, питание.",
             parents_7a, read_share=0.6)
        send(max(C.YEAR_START, ref - dt.timedelta(days=4)), rus_teacher, "Сочинение",
             f"Здравствуйте! {kid.first} не сдал{'' if kid.sex == 'м' else 'а'} сочинение по литературе. "
             "Прошу проследить, чтобы работа была сдана до конца недели.",
             [parent_uid], about=self.key_pupil.id, read_share=1.0)
        following = [d for d in self.school_days if d > ref]
        when = ON_WEEKDAY[following[0].weekday()] if following else "завтра"
        send(max(C.YEAR_START, ref - dt.timedelta(days=1)), parent_uid, "Отсутствие",
             f"Здравствуйте! {kid.first} {when} будет отсутствовать на первых двух уроках "
             "по семейным обстоятельствам. Заявление передам.",
             [seven_a.teacher], about=self.key_pupil.id, read_share=0.0)

    def _room_name(self, room_id: int) -> str:
        return next(name for name, rid in self.rooms.items() if rid == room_id)

    def _audit(self) -> None:
        data = self.rows.data
        pupils = len(data[m.Student])
        summary = (
            f"Создана демонстрационная школа «{self.identity.short_name}» (зерно {self.seed}, "
            f"размер {self.size}): классов {len(self.classes)}, учащихся {pupils}, "
            f"учителей {len(self.teachers)}, уроков {len(data[m.Lesson])}, отметок {len(data[m.Mark])}, "
            f"записей посещаемости {len(data[m.Attendance])}"
        )
        self.rows.add(
            m.AuditEntry, school=self.school, at=m.now(), actor=None, actor_name=DEMO_ACTOR, origin="demo",
            address="", action="create", entity="demo", entity_id=str(self.school), field="",
            old_value=None, new_value=summary,
        )
