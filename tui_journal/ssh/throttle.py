"""The built-in server's own defence against password guessing, per client address.

The accounts themselves are protected by :mod:`tui_journal.services.auth` (a growing delay,
then a lock, recorded in the database). This is the server's second line, kept in memory:
an address that keeps failing is first answered more and more slowly, then refused outright
for a while, whatever logins it tries — so one address cannot lock every account of the
school by guessing, nor probe logins quickly.

Only failures in the last ``window`` seconds count. Successful logins do not wipe an
address's failures: an attacker must not be able to reset his counter by logging in with
his own account.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ThrottlePolicy:
    slow_after: int = 3  # failures before answers are delayed
    base_delay: float = 1.0  # seconds, doubling with each further failure
    max_delay: float = 8.0
    block_after: int = 10  # failures that block the address
    block_seconds: float = 15 * 60.0
    window: float = 15 * 60.0  # failures older than this are forgotten


@dataclass
class _Record:
    failures: deque[float] = field(default_factory=deque)
    blocked_until: float = 0.0


class AddressThrottle:
    """Counts failed logins per address; says how long to delay and whether to refuse."""

    MAX_ADDRESSES = 100_000  # memory bound: forget the oldest addresses beyond this

    def __init__(self, policy: ThrottlePolicy | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy or ThrottlePolicy()
        self._clock = clock
        self._records: dict[str, _Record] = {}

    def _prune(self, record: _Record, moment: float) -> None:
        while record.failures and moment - record.failures[0] > self.policy.window:
            record.failures.popleft()

    def failures(self, address: str) -> int:
        record = self._records.get(address)
        if record is None:
            return 0
        self._prune(record, self._clock())
        return len(record.failures)

    def blocked_for(self, address: str) -> float:
        """Seconds the address stays blocked (0: not blocked)."""
        record = self._records.get(address)
        if record is None:
            return 0.0
        return max(0.0, record.blocked_until - self._clock())

    def is_blocked(self, address: str) -> bool:
        return self.blocked_for(address) > 0

    def delay(self, address: str) -> float:
        """How long to hold back the answer to a failed attempt: nothing for the first
        ``slow_after`` failures, then ``base_delay`` doubling up to ``max_delay``."""
        over = self.failures(address) - self.policy.slow_after
        if over <= 0:
            return 0.0
        return float(min(self.policy.base_delay * 2 ** (over - 1), self.policy.max_delay))

    def failed(self, address: str) -> bool:
        """Count a failure; True when the address is blocked from now on."""
        moment = self._clock()
        record = self._records.get(address)
        if record is None:
            if len(self._records) >= self.MAX_ADDRESSES:
                self._forget_oldest()
            record = self._records[address] = _Record()
        self._prune(record, moment)
        record.failures.append(moment)
        if len(record.failures) >= self.policy.block_after and record.blocked_until <= moment:
            record.blocked_until = moment + self.policy.block_seconds
            return True
        return False

    def _forget_oldest(self) -> None:
        moment = self._clock()
        for address in [a for a, r in self._records.items() if r.blocked_until <= moment][: len(self._records) // 10 + 1]:
            del self._records[address]
