"""``tui-journal serve web``: textual-serve's aiohttp server with the journal's own page.

What differs from textual-serve's stock ``Server``:

- the page (``templates/app_index.html``) loads nothing from the internet: textual.js,
  xterm.css and the Roboto Mono font come from the package; URLs are relative to the page,
  so it works behind a reverse proxy and on any host name;
- each websocket runs :func:`session_command` for its client (the address from the
  connection, or from ``X-Forwarded-For`` only with ``trust_proxy``);
- at most ``max_sessions`` sessions: the page and the websocket say the server is busy;
- an address with too many failed logins in the login log is refused before a process starts.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
import ssl
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import textual_serve
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from tui_journal.i18n import t
from tui_journal.ssh.throttle import ThrottlePolicy
from tui_journal.web.session import clean_address

log = logging.getLogger("tui_journal.web")

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(textual_serve.__file__).parent / "static"


@dataclass
class WebConfig:
    db_url: str
    host: str = "0.0.0.0"
    port: int = 8080
    public_url: str | None = None
    max_sessions: int = 100
    trust_proxy: bool = False
    config_file: str | None = None
    throttle: ThrottlePolicy = field(default_factory=ThrottlePolicy)
    tls_cert: str | None = None
    tls_key: str | None = None
    python: str = sys.executable


def session_command(config: WebConfig, address: str) -> str:
    """The shell command textual-serve runs for one browser session.

    THE place to hook the warm fork server in (branch ``serve``): return a command that
    asks it for a forked session instead of starting a fresh interpreter.
    """
    policy = config.throttle
    argv = [config.python, "-m", "tui_journal.web", "--db", config.db_url, "--address", clean_address(address)]
    if config.config_file:
        argv += ["--config", config.config_file]
    argv += [
        "--slow-after", str(policy.slow_after),
        "--block-after", str(policy.block_after),
        "--block-minutes", str(policy.block_seconds / 60.0),
    ]  # fmt: skip
    return "exec " + shlex.join(argv)  # textual-serve runs it through /bin/sh: no shell left behind


#: The only files the page loads (name under /static/ → file, MIME type).
ASSETS = {
    "js/textual.js": (STATIC / "js" / "textual.js", "application/javascript"),
    "css/xterm.css": (STATIC / "css" / "xterm.css", "text/css"),
    "fonts/RobotoMono.ttf": (STATIC / "fonts" / "RobotoMono-VariableFont_wght.ttf", "font/ttf"),
}
_ASSET_CACHE: dict[str, tuple[bytes, bytes, str, str]] = {}


def _asset(name: str) -> tuple[bytes, bytes, str, str] | None:
    """(body, gzipped body, MIME type, ETag) of a page asset, or None."""
    if name in _ASSET_CACHE:
        return _ASSET_CACHE[name]
    entry = ASSETS.get(name)
    if entry is None:
        return None
    import gzip
    import hashlib

    path, mime = entry
    body = path.read_bytes()
    asset = (body, gzip.compress(body, 9, mtime=0), mime, '"' + hashlib.sha256(body).hexdigest()[:16] + '"')
    _ASSET_CACHE[name] = asset
    return asset


def client_address(request: web.Request, trust_proxy: bool) -> str:
    """The client's IP: the peer's, or (only behind our own proxy) the last X-Forwarded-For hop."""
    if trust_proxy:
        forwarded = request.headers.get("X-Forwarded-For", "")
        hops = [clean_address(h) for h in forwarded.split(",")]
        hops = [h for h in hops if h]
        if hops:
            return hops[-1]  # the address our proxy saw; earlier hops are the client's claims
    return clean_address(request.remote or "")


class JournalWebServer(Server):
    def __init__(self, config: WebConfig, *, failures: Callable[[str], int] | None = None) -> None:
        super().__init__(
            command="",
            host=config.host,
            port=config.port,
            title=t("web.title"),
            public_url=config.public_url,
            statics_path=STATIC,
            templates_path=TEMPLATES,
        )
        self.config = config
        self.sessions: set[AppService] = set()
        self._failures = failures  # failed logins of an address in the throttle window

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)

    async def on_startup(self, app: web.Application) -> None:
        scheme = "https" if self.config.tls_cert else "http"
        url = self.config.public_url or f"{scheme}://{self.config.host}:{self.config.port}"
        print(
            t("cli.web_listening", url=url, host=self.config.host, port=self.config.port, n=self.config.max_sessions),
            flush=True,
        )

    def full(self) -> bool:
        return len(self.sessions) >= self.config.max_sessions

    async def blocked(self, address: str) -> bool:
        if self._failures is None or not address:
            return False
        failures = await asyncio.get_running_loop().run_in_executor(None, self._failures, address)
        return failures >= self.config.throttle.block_after

    def _page(self, request: web.Request, *, message: str = "", status: int = 200) -> web.Response:
        import aiohttp_jinja2

        context: dict[str, Any] = {
            "title": t("web.title"),
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "message": message,
            "ended": t("web.session_ended"),
            "restart": t("web.restart"),
            "connecting": t("web.connecting"),
            "no_js": t("web.no_js"),
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context, status=status)

    async def handle_index(self, request: web.Request) -> web.Response:
        if self.full():
            return self._page(request, message=t("web.busy", n=self.config.max_sessions), status=503)
        address = client_address(request, self.config.trust_proxy)
        if await self.blocked(address):
            minutes = max(1, round(self.config.throttle.block_seconds / 60))
            return self._page(request, message=t("web.blocked", minutes=minutes), status=429)
        return self._page(request)

    async def _refuse(self, websocket: web.WebSocketResponse, message: str) -> web.WebSocketResponse:
        await websocket.send_bytes(("\r\n  " + message + "\r\n").encode("utf-8"))
        await websocket.close(code=1013, message=b"busy")
        return websocket

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        address = client_address(request, self.config.trust_proxy)
        await websocket.prepare(request)
        if self.full():
            log.info("session refused (limit %d): %s", self.config.max_sessions, address)
            return await self._refuse(websocket, t("web.busy", n=self.config.max_sessions))
        if await self.blocked(address):
            minutes = max(1, round(self.config.throttle.block_seconds / 60))
            log.info("session refused (failed logins): %s", address)
            return await self._refuse(websocket, t("web.blocked", minutes=minutes))
        app_service = AppService(
            session_command(self.config, address),
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,  # type: ignore[arg-type]
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.sessions.add(app_service)
        log.info("session start: %s (%d open)", address, len(self.sessions))
        try:
            await app_service.start(width, height)
            try:
                await self._process_messages(websocket, app_service)
            finally:
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            await app_service.stop()
            self.sessions.discard(app_service)
            log.info("session end: %s (%d open)", address, len(self.sessions))
        return websocket

    async def _make_app(self) -> web.Application:
        import aiohttp_jinja2
        import jinja2

        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(str(TEMPLATES)))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.get("/static/{name:.+}", self.handle_static, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        return app

    async def handle_static(self, request: web.Request) -> web.Response:
        """The page's few files, gzipped once in memory, cached by the browser."""
        name = request.match_info["name"]
        asset = _asset(name)
        if asset is None:
            raise web.HTTPNotFound()
        body, gzipped, mime, etag = asset
        headers = {"Cache-Control": "public, max-age=86400", "ETag": etag, "Vary": "Accept-Encoding"}
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers=headers)
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return web.Response(body=gzipped, content_type=mime, headers=headers)
        return web.Response(body=body, content_type=mime, headers=headers)

    def ssl_context(self) -> ssl.SSLContext | None:
        if not self.config.tls_cert:
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.config.tls_cert, self.config.tls_key)
        return context

    def serve(self, debug: bool = False) -> None:
        """Run until SIGINT/SIGTERM."""
        import signal

        self.debug = debug
        self.initialize_logging()
        context = self.ssl_context()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.request_exit)
        web.run_app(
            self._make_app(),
            host=self.config.host,
            port=self.config.port,
            ssl_context=context,
            handle_signals=False,
            loop=loop,
            print=lambda *args: None,
            access_log=None,
        )
