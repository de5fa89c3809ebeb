"""Russian strings of one area (see the package docstring for how parts are merged)."""

from __future__ import annotations

RU: dict[str, str] = {
    # files offered to the user (app.offer_file)
    "file.saved": "Сохранено: {path}",
    "file.downloaded": "Файл «{name}» передан браузеру (загрузки)",
    # signing a file of the exports folder
    "key.sign.sign": "Подписать",
    "sign.col.file": "Файл в папке выгрузок",
    "sign.col.when": "Изменён",
    # the school export (admin, F9 on the setup screen)
    "key.setup_export": "Выгрузка (zip)",
    "setup.exporting": "Выгрузка всех данных школы…",
    # login throttle of the browser route
    "web.address_blocked": "Слишком много неудачных попыток с этого адреса. Попробуйте через {minutes} мин.",
    # serve web
    "web.title": "Электронный журнал",
    "web.busy": "Сервер занят: открыто сеансов {n} из {n}. Закройте лишние вкладки или попробуйте позже.",
    "web.blocked": "С этого адреса слишком много неудачных входов. Попробуйте через {minutes} мин.",
    "web.session_ended": "Сеанс завершён.",
    "web.restart": "Войти снова",
    "web.connecting": "Подключение…",
    "web.no_js": "Для работы журнала в браузере нужен JavaScript.",
    "cli.help.serve_web": "журнал в браузере (textual-serve): один процесс на вкладку",
    "cli.epilog.serve_web": "Установка за nginx/Caddy с TLS: docs/web.md.",
    "cli.opt.web_host": "адрес для приёма соединений (по умолчанию 0.0.0.0)",
    "cli.opt.web_port": "порт HTTP (по умолчанию 8080)",
    "cli.opt.web_public_url": "адрес, который видят пользователи (https://journal.school.ru); по умолчанию http://HOST:PORT",
    "cli.opt.web_max_sessions": "наибольшее число открытых сеансов (по умолчанию 100)",
    "cli.opt.web_tls_cert": "файл сертификата TLS (PEM); вместе с --tls-key",
    "cli.opt.web_tls_key": "файл закрытого ключа TLS (PEM)",
    "cli.opt.web_trust_proxy": "брать адрес клиента из X-Forwarded-For (только за своим обратным прокси)",
    "cli.web_listening": "Журнал в браузере: {url} (слушаю {host}:{port}, сеансов не больше {n})",
    "cli.web_tls_pair": "--tls-cert и --tls-key задаются вместе",
    "cli.web_tls_bad": "Не удалось загрузить сертификат TLS: {error}",
    "cli.web_listen_failed": "Не удалось открыть {host}:{port}: {error}",
    "cli.web_need_package": "Нужен пакет textual-serve: pip install textual-serve",
}
