"""The English catalogue (incomplete: missing keys fall back to Russian)."""

from __future__ import annotations

EN: dict[str, str] = {
    "login.title": "Electronic class journal",
    "login.subtitle": "Sign in",
    "login.login": "Login",
    "login.password": "Password",
    "login.bad": "Wrong login or password",
    "key.help": "Help",
    "key.back": "Back",
    "key.quit": "Quit",
}
