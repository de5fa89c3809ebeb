"""Password hashing (argon2id) and the password rules of R-ACC-3."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from tui_journal.i18n import t
from tui_journal.services.errors import InvalidInput

MIN_LENGTH = 8

# argon2id with the OWASP profile (m=19 MiB, t=2, p=1): tens of milliseconds per check here,
# slow enough against guessing, cheap enough for 30 teachers logging in at one break.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)

# The commonest passwords (Latin and Russian layouts); a short list on purpose: the lock
# after a few failures does the rest.
COMMON_PASSWORDS = frozenset(
    """
    123456 12345678 123456789 1234567890 12345678910 password password1 qwerty qwerty123
    qwertyuiop 11111111 00000000 1q2w3e4r 1q2w3e4r5t 1qaz2wsx zaq12wsx asdfghjk iloveyou
    admin123 administrator welcome1 letmein1 passw0rd p@ssw0rd abc12345 abcd1234 87654321
    11223344 12341234 123123123 qazwsxedc q1w2e3r4 sunshine princess football baseball
    dragon123 monkey123 master123 superman michael1 password123 йцукенгш пароль123 пароль12
    пароль1234 qwerty12 qwerty1234 123qweasd 1234qwer qweasdzxc zxcvbnm1 school123 школа123
    учитель1 учитель123 journal1 journal123 dnevnik1 дневник1 дневник123 журнал123 66666666
    88888888 99999999 12344321 55555555 77777777 22222222 33333333 44444444 147258369
    159753123 789456123 parol123 parol1234 moscow123 москва123 russia123 россия123
    """.split()
)


def check_password_rules(password: str, login: str) -> None:
    """Raise :class:`InvalidInput` with the reason when the password is not acceptable."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(t("err.password_short", n=MIN_LENGTH))
    if password.casefold() == login.casefold():
        raise InvalidInput(t("err.password_login"))
    if password.casefold() in COMMON_PASSWORDS:
        raise InvalidInput(t("err.password_common"))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# Letters that cannot be confused with each other when read off a printed slip.
_SLIP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def one_time_password(length: int = 10) -> str:
    """A random password to print on a credential slip (R-ACC-2)."""
    return "".join(secrets.choice(_SLIP_ALPHABET) for _ in range(length))
