"""Russian strings of one area (see the package docstring for how parts are merged)."""

from __future__ import annotations

RU: dict[str, str] = {
    "sshkey.no_asyncssh": "Ключи нужны только встроенному SSH-серверу; установите его: pip install 'tui-journal[ssh]'",
}
