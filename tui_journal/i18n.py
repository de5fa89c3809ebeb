"""The catalogue of user-facing strings.

The regulation requires the journal's records in Russian, so Russian is the default and
the complete locale. Every message shown to a user comes from here through :func:`t`, so
that an English locale (``TUI_JOURNAL_LANG=en``) can be filled in without touching code;
keys missing from a locale fall back to Russian.
"""

from __future__ import annotations

import os

RU: dict[str, str] = {
    # roles
    "role.admin": "администратор",
    "role.director": "директор",
    "role.deputy": "заместитель директора по УВР",
    "role.secretary": "секретарь",
    "role.teacher": "учитель",
    "role.educator": "воспитатель ГКП",
    "role.student": "учащийся",
    "role.parent": "родитель",
    "role.class_teacher": "классный руководитель",
    # generic errors
    "err.denied": "Недостаточно прав: {what}",
    "err.no_school": "Школа не найдена: {school}",
    "err.several_schools": "В базе несколько школ; укажите --school (номер): {schools}",
    "err.user_not_found": "Пользователь «{login}» не найден",
    "err.login_taken": "Логин «{login}» уже занят",
    "err.login_bad": "Логин «{login}» недопустим: латинские буквы, цифры, точка, дефис и _, от 3 до 32 знаков",
    "err.name_required": "Укажите фамилию и имя",
    "err.name_bad": "Недопустимые символы в имени: {name}",
    "err.role_unknown": "Неизвестная роль «{role}». Роли: {roles}",
    "err.password_short": "Пароль короче {n} знаков",
    "err.password_login": "Пароль не может совпадать с логином",
    "err.password_common": "Этот пароль слишком распространён — выберите другой",
    "err.password_same": "Новый пароль должен отличаться от прежнего",
    "err.password_wrong": "Неверный текущий пароль",
    "err.last_admin": "Нельзя убрать последнего администратора школы",
    "err.self_remove": "Нельзя удалить или заблокировать собственную учётную запись",
    "err.student_not_found": "Учащийся не найден: {student}",
    "err.not_parent": "«{login}» не имеет роли родителя",
    # login
    "login.title": "Электронный журнал",
    "login.subtitle": "Вход в систему",
    "login.login": "Логин",
    "login.password": "Пароль",
    "login.submit": "Войти",
    "login.hint": "Введите логин и пароль, Enter — войти",
    "login.bad": "Неверный логин или пароль",
    "login.locked": "Учётная запись заблокирована. Обратитесь к администратору журнала",
    "login.wait": "Слишком много неудачных попыток. Повторите через {seconds} с",
    "login.no_password": "Для этой учётной записи ещё не выдан пароль. Обратитесь к классному руководителю или администратору",
    "login.must_change": "Пароль одноразовый: придумайте новый",
    "login.empty": "Введите логин и пароль",
    "login.checking": "Проверка…",
    "login.locked_now": "Неверный пароль. Учётная запись заблокирована после {n} неудачных попыток",
    "passwd.title": "Смена пароля",
    "passwd.new": "Новый пароль",
    "passwd.repeat": "Повторите пароль",
    "passwd.mismatch": "Пароли не совпадают",
    "passwd.done": "Пароль изменён",
    "passwd.rules": "Не короче 8 знаков, не совпадает с логином",
    # home
    "home.title": "Главная",
    "home.who": "{name}",
    "home.roles": "Роли: {roles}",
    "home.school": "{school}",
    "home.sections": "Разделы",
    "home.no_sections": "Для ваших ролей пока нет доступных разделов",
    "section.account": "Моя учётная запись",
    "section.users": "Пользователи",
    "section.audit": "Журнал изменений",
    # keys
    "key.help": "Справка",
    "key.back": "Назад",
    "key.quit": "Выход",
    "key.open": "Открыть",
    "key.logout": "Сменить пользователя",
    "help.title": "Справка",
    "help.close": "Esc — закрыть справку",
    "help.global": "F1 — справка · Esc — назад · F10 или Ctrl+Q — выход",
    "help.login": "Введите логин и пароль, выданные администратором или классным руководителем. "
    "Tab переходит между полями, Enter — вход. После нескольких неудачных попыток вход "
    "замедляется, а затем учётная запись блокируется; разблокирует её администратор.",
    "help.home": "Стрелки вверх/вниз выбирают раздел, Enter открывает его. "
    "F2 — сменить пароль. Ctrl+L — сменить пользователя.",
    "help.account": "Здесь показаны ваши данные и роли. F2 — сменить пароль.",
    "help.users": "Список пользователей школы. Введите часть фамилии или логина для поиска.",
    "help.audit": "Последние изменения в журнале: кто, когда, что и как изменил.",
    "idle.bye": "Сеанс завершён из-за бездействия",
    "saved": "Сохранено",
    # account screen
    "account.login": "Логин",
    "account.name": "ФИО",
    "account.roles": "Роли",
    "account.last_login": "Последний вход",
    "account.classes": "Классное руководство",
    # audit listing
    "audit.at": "Время",
    "audit.who": "Кто",
    "audit.origin": "Откуда",
    "audit.action": "Действие",
    "audit.entity": "Объект",
    "audit.field": "Поле",
    "audit.old": "Было",
    "audit.new": "Стало",
    # users listing
    "users.login": "Логин",
    "users.name": "ФИО",
    "users.roles": "Роли",
    "users.state": "Состояние",
    "users.search": "Поиск по фамилии или логину",
    "state.active": "активен",
    "state.locked": "заблокирован",
    "state.removed": "удалён",
    "state.no_password": "пароль не выдан",
    "state.one_time": "одноразовый пароль",
    # schema
    "db.outdated": "Схема базы данных устарела. Выполните: tui-journal db upgrade",
}

EN: dict[str, str] = {
    "login.title": "Electronic class journal",
    "login.subtitle": "Sign in",
    "login.login": "Login",
    "login.password": "Password",
    "login.submit": "Sign in",
    "login.bad": "Wrong login or password",
    "key.help": "Help",
    "key.back": "Back",
    "key.quit": "Quit",
}

LOCALES: dict[str, dict[str, str]] = {"ru": RU, "en": EN}


def current_locale() -> str:
    lang = os.environ.get("TUI_JOURNAL_LANG", "ru").lower()[:2]
    return lang if lang in LOCALES else "ru"


def t(key: str, /, **params: object) -> str:
    """The text for ``key`` in the current locale, with ``{name}`` placeholders filled."""
    text = LOCALES[current_locale()].get(key) or RU.get(key)
    if text is None:
        return key
    return text.format(**params) if params else text
