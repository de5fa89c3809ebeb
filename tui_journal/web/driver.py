"""textual's web driver, reporting the mouse only while a button is down.

textual turns on "any-motion" mouse tracking (mode 1003): every move of the pointer over the
page is sent to the app and repaints the hovered widget (FACTS: ~10 KB per move). Clicks,
taps, the wheel and drags need only modes 1000 and 1002, so this driver switches 1003 off.
"""

from __future__ import annotations

from textual.drivers.web_driver import WebDriver

NO_HOVER = "\x1b[?1003l\x1b[?1002h"  # no motion reports, except while a button is held (drags)


class JournalWebDriver(WebDriver):
    def start_application_mode(self) -> None:
        super().start_application_mode()
        self.write(NO_HOVER)
        self.flush()
