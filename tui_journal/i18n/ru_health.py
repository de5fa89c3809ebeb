"""Russian strings of one area (see the package docstring for how parts are merged)."""

from __future__ import annotations

RU: dict[str, str] = {
    "sshkey.no_asyncssh": "Ключи нужны только встроенному SSH-серверу; установите его: pip install 'tui-journal[ssh]'",
    # the config file and the environment variables (tui_journal.config)
    "config.unknown_key": "Файл настроек {path}: неизвестный параметр «{key}». Допустимые параметры: {known}",
    "config.wrong_type": "Файл настроек {path}: параметр «{key}» должен быть {expected}, а не {value}",
    "config.env_wrong_type": "Переменная окружения {name} (параметр «{key}») должна быть {expected}, а не «{value}»",
    "config.bad_toml": "Ошибка в настройках {path}: файл не читается как TOML ({error})",
    "config.type.str": "строкой в кавычках",
    "config.type.float": "числом",
    "config.type.int": "целым числом",
    "config.type.bool": "true или false",
    "config.type.table": "таблица",
    # the edit line asks once before Esc throws a typed line away
    "edit_line.esc_again": "Esc ещё раз — отменить ввод",
}
