"""Russian strings of one area (see the package docstring for how parts are merged)."""

from __future__ import annotations

RU: dict[str, str] = {
    # --- the warm session server, attach (tui_journal/ssh/warm.py, attach.py) ---
    "cli.help.attach": "передать этот терминал тёплому серверу сеансов (команда ForceCommand для OpenSSH)",
    "cli.help.serve_warm": "тёплый сервер сеансов: журнал загружен один раз, сеансы стартуют быстро",
    "cli.epilog.serve_warm": (
        "Запускайте от той же учётной записи, что и сеансы (journal): сокет доступен только ей.\n"
        "Сеансы OpenSSH приходят через tui-journal attach, встроенный сервер запускает свой.\n"
        "Служба systemd: docs/systemd/, docs/ssh.md."
    ),
    "cli.opt.warm_socket": "сокет тёплого сервера сеансов (по умолчанию /run/tui-journal/warm.sock)",
    "cli.opt.ssh_config_socket": "сокет тёплого сервера для tui-journal attach (по умолчанию /run/tui-journal/warm.sock)",
    "cli.opt.ssh_direct": "без тёплого сервера: ForceCommand запускает python -m tui_journal.ssh (медленнее)",
    "cli.opt.ssh_warm_socket": "сокет уже запущенного тёплого сервера (иначе сервер запускает свой)",
    "cli.opt.ssh_no_warm": "без тёплого сервера: каждый сеанс — новый процесс (медленнее)",
    "cli.opt.ssh_login_timeout": "секунд на вход и на открытие сеанса после входа (по умолчанию 60)",
    "cli.warm_listening": "Тёплый сервер сеансов слушает {path}",
    "cli.warm_failed": "Тёплый сервер сеансов не запущен ({path}): {error}",
}
