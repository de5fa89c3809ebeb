"""Russian strings of one area (see the package docstring for how parts are merged)."""

from __future__ import annotations

RU: dict[str, str] = {
    # the docked question (widgets/confirm.py)
    "confirm.keys": "Enter — да, Esc — нет",
    "confirm.keys_save": "Enter — сохранить, N — не сохранять, Esc — остаться",
    "confirm.unsaved": "Сохранить изменения?",
    "confirm.kept": "Ничего не изменено",
    # enrollment
    "enr.confirm.depart": "Выбытие: {name}, {cls}, {date}, приказ {order}?",
    "enr.confirm.transfer": "Перевод: {name}, {cls} → {to}, с {date}, приказ {order}?",
    "enr.no_order": "не указан",
    # users
    "users.form.roles_edit": "Роли {login}: {roles}. +роль — добавить, -роль — снять; Enter",
    "users.roles_ask": "Роли {login} станут: {roles} ({changes})?",
    "users.reset_ask": "Новый одноразовый пароль для {login} ({name})? Прежний перестанет действовать.",
    "users.remove_ask": "Удалить учётную запись {login} ({name})? Вход станет невозможен.",
    # class teacher: passwords
    "ct.issue_one_ask": "Новый пароль для {name} ({login})? Прежний перестанет действовать.",
    "ct.issue_all_ask": "Новые пароли всему классу {cls}: {n} уч. записей (учащихся {pupils}, родителей {parents})? "
    "Прежние перестанут действовать.",
    "ct.issue_no_account": "У {name} нет учётной записи: её создаёт администратор",
    "ct.issue_nobody": "В классе нет учётных записей учащихся и родителей",
    # the plan (КТП)
    "plan.lay_ask": "Разложить темы плана по урокам: тему получат уроков — {n}?",
    "plan.lay_nothing": "Раскладывать нечего: все уроки уже с темами плана",
    # the grade grid
    "grid.undone_removed": "Отменено: {where} — «{text}» убрана",
    "grid.undone_removed_code": "Отменено: {where} — «{text}» убран",
    "grid.undone_back": "Отменено: {where} — снова «{text}»",
    "grid.undone_changed": "Отменено: {where} — снова «{text}» (было «{was}»)",
    "grid.code_over_mark_prefix": "В клетке отметка",
    "grid.code_over_mark": "В клетке отметка «{marks}»: поставить «{code}» вместе с ней? Ещё раз «{code}» — да, "
    "Del — очистить клетку",
    # cli
    "cli.col.demo_who": "Кто",
    # reports
    "report.saved_where": "Сохранено: {name} — в папке {folder}",
    # the picker (widgets/picker.py)
    "picker.none": "нет такого",
    "tt.pick_hint": "часть названия, ↑↓, Enter",
    "pick.not_found": "Нет такого ({what}): «{text}»",
    "pick.several": "Подходят несколько ({what}) на «{text}»: {names}. Уточните",
    "pick.what.teacher": "учитель",
    "pick.what.week": "учитель или кабинет",
    # the lesson panel
    "key.lesson.next_topic": "След. тема",
    "lesson.next_placeholder": "Enter или F3 — {ordinal}. {topic}",
    "lesson.no_next_topic": "В плане нет невыданных тем",
}
