"""Russian strings of one area (see the package docstring for how parts are merged).

Operations: private files and ``tui-journal doctor``, the signing key file, the program's log
and internal errors, database failures (disk full, read-only, lost connection).
"""

from __future__ import annotations

RU: dict[str, str] = {
    # --- the signing key file (cli/sign.py) ---
    "cli.opt.key_dir": "папка файлов закрытого ключа школы (по умолчанию рядом с файлом базы; настройка signing_key_dir)",
    "cli.opt.key_file": "файл закрытого ключа для подписи (по умолчанию school-<школа>-<ключ>.key в папке ключей)",
    "cli.opt.key_encrypt": "keygen: защитить закрытый ключ паролем (будет запрошен)",
    "cli.opt.passphrase_stdin": "прочитать пароль ключа из следующей строки стандартного ввода",
    "cli.sign.key_file": "Закрытый ключ записан в файл {path} (только для владельца). Храните его копию отдельно от базы",
    "cli.sign.key_moved": "Закрытый ключ подписи перенесён из базы в файл {path}",
    "cli.sign.nothing_to_move": "В базе нет закрытых ключей: переносить нечего",
    "cli.sign.passphrase_prompt": "Пароль ключа подписи: ",
    "cli.sign.passphrase_empty": "Пароль ключа не введён",
    "cli.sign.passphrase_mismatch": "Пароли ключа не совпадают",
    # --- tui-journal doctor (cli/doctor.py) ---
    "cli.help.doctor": "проверить права на файлы журнала (база, ключи, выгрузки, очередь, журнал программы)",
    "cli.doctor.ok": "Права на файлы в порядке: {count} проверено",
    "cli.doctor.problems": "Файлы доступны не только владельцу или принадлежат другому пользователю ({count}):",
    "cli.doctor.fix": "Исправить:",
    "cli.doctor.keys_in_db": "В базе хранится закрытый ключ подписи ({count}): выполните tui-journal db upgrade",
    # --- the program's log ---
    "cli.opt.log_level": "подробность журнала программы: DEBUG, INFO, WARNING, ERROR (настройка log_level)",
    "err.permission": "Нет доступа: {path} ({error})",
    "err.internal": "Внутренняя ошибка, подробности в журнале программы ({path})",
    # --- database failures ---
    "err.db.disk_full": "Диск сервера заполнен: изменение не сохранено. Сообщите администратору",
    "err.db.read_only": "База данных открыта только для чтения: изменение не сохранено. Сообщите администратору",
    "err.db.connection_lost": "Потеряна связь с сервером базы данных: изменение не сохранено. Повторите позже",
    "err.db.busy": "База данных занята: повторите через несколько секунд",
    "grid.pending.disk_full": "Диск сервера заполнен: {where} — «{text}» НЕ СОХРАНЕНО, в очереди (*); сохранится позже",
    "grid.pending.read_only": "База только для чтения: {where} — «{text}» НЕ СОХРАНЕНО, в очереди (*); сохранится позже",
    "grid.pending.connection_lost": "Нет связи с базой: {where} — «{text}» НЕ СОХРАНЕНО, в очереди (*); сохранится позже",
    # --- login log ---
    "login.unknown_login": "неизвестный ({n} знаков)",
    # --- control → reports ---
}
