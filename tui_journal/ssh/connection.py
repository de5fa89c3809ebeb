"""One client connection of the built-in SSH server (:mod:`tui_journal.ssh.server`): who
the client is (a journal password, checked in the pool of workers, or a registered public
key), the address throttle, closing a logged-in connection that opens no session, and
refusing every kind of forwarding. A session request gets a :class:`~.pty_session.PtySession`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import asyncssh

from tui_journal.i18n import t
from tui_journal.ssh.pty_session import PtySession

if TYPE_CHECKING:
    from tui_journal.ssh.server import ServerState

log = logging.getLogger("tui_journal.ssh.server")  # one logger for the whole server


def plain_address(address: str) -> str:
    """``::ffff:10.0.0.5`` → ``10.0.0.5`` (an IPv4 client of a dual-stack socket)."""
    return address[7:] if address.startswith("::ffff:") and "." in address else address


class JournalSSHServer(asyncssh.SSHServer):
    """One client connection: authentication and the session request."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.conn: asyncssh.SSHServerConnection | None = None
        self.address = ""
        self.login: str | None = None
        self.method = ""
        self._key_candidate: str | None = None
        self._last_method = ""
        self.open_sessions = 0
        self._no_session_timer: asyncio.TimerHandle | None = None

    # --- the connection -------------------------------------------------------------

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername") or ("", 0)
        self.address = plain_address(str(peer[0]))
        self.state.connections.add(self)
        if self.state.throttle.is_blocked(self.address):
            log.info("отказ: адрес %s заблокирован", self.address)
            conn.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.state.connections.discard(self)
        self._disarm_no_session()

    # --- logged in, but no session: closed after the login timeout ----------------------------

    def _arm_no_session(self) -> None:
        self._disarm_no_session()
        limit = self.state.config.login_timeout
        if limit > 0 and self.conn is not None:
            self._no_session_timer = asyncio.get_running_loop().call_later(limit, self._close_without_session)

    def _disarm_no_session(self) -> None:
        if self._no_session_timer is not None:
            self._no_session_timer.cancel()
            self._no_session_timer = None

    def _close_without_session(self) -> None:
        self._no_session_timer = None
        if self.open_sessions == 0 and self.conn is not None:
            log.info("%s с адреса %s: нет сеанса, соединение закрыто", self.login, self.address)
            self.conn.close()

    def session_closed(self) -> None:
        self.open_sessions = max(0, self.open_sessions - 1)
        if self.open_sessions == 0 and self.conn is not None:
            self._arm_no_session()

    def _disconnect_blocked(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.disconnect(asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE, t("ssh.blocked"))

    def begin_auth(self, username: str) -> bool:
        if self.state.throttle.is_blocked(self.address):
            self._disconnect_blocked()
        return True

    # --- passwords (and keyboard-interactive, which asyncssh maps onto them) ------------

    def password_auth_supported(self) -> bool:
        return True

    async def validate_password(self, username: str, password: str) -> bool:
        throttle = self.state.throttle
        if throttle.is_blocked(self.address):
            self._disconnect_blocked()
            return False
        try:
            login, outcome = await self.state.check_password(username, password, self.address)
        except Exception as exc:  # the database is unreachable: refuse, count nothing
            log.warning("проверка пароля %s не удалась: %s", username, exc)
            return False
        if login is not None:
            self.login = login
            self._last_method = "password"
            return True
        blocked = throttle.failed(self.address)
        log.info("неудачный вход %s с адреса %s: %s", username, self.address, outcome)
        if blocked:
            log.warning(
                "адрес %s заблокирован на %d мин после %d неудачных входов",
                self.address,
                round(throttle.policy.block_seconds / 60),
                throttle.failures(self.address),
            )
            self._disconnect_blocked()
            return False
        delay = throttle.delay(self.address)
        if delay > 0:
            await asyncio.sleep(delay)
        return False

    # --- public keys ------------------------------------------------------------------

    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        if self.state.throttle.is_blocked(self.address):
            self._disconnect_blocked()
            return False
        from tui_journal.services import ssh_keys

        try:
            ok = await self.state.in_thread(ssh_keys.key_matches, username, bytes(key.public_data))
        except Exception as exc:
            log.warning("проверка ключа %s не удалась: %s", username, exc)
            return False
        if ok:
            self._key_candidate = username
            self._last_method = "publickey"
        return bool(ok)

    async def auth_completed(self) -> None:
        if self._last_method == "publickey" and self._key_candidate is not None:
            from tui_journal.services import ssh_keys
            from tui_journal.services.accounts import find_user

            login = self._key_candidate
            self.method = "publickey"
            self.login = login  # now: the session request may come before the record is written
            try:
                outcome = await self.state.in_thread(ssh_keys.record_key_login, login, address=self.address)
                user = await self.state.in_thread(find_user, login)
            except Exception as exc:
                log.warning("вход по ключу %s не записан: %s", login, exc)
                outcome, user = None, None
            if outcome is None or user is None:
                self.login = None
                if self.conn is not None:
                    self.conn.close()
                return
            self.login = user.login
        else:
            self.method = "password"
        log.info("вход %s с адреса %s (%s)", self.login, self.address, self.method)
        if self.open_sessions == 0:
            self._arm_no_session()

    # --- what the client may open -------------------------------------------------------

    def session_requested(self) -> PtySession | bool:
        if self.login is None:
            return False
        if len(self.state.sessions) >= self.state.config.max_sessions:
            log.warning("отказ %s: сеансов уже %d", self.login, len(self.state.sessions))
            return False
        self.open_sessions += 1
        self._disarm_no_session()
        return PtySession(self)

    # Port, socket and tunnel forwarding: asyncssh refuses them unless these say otherwise.
    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int) -> bool:
        return False

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        return False
