"""To whom a message goes (R-D-3): a person, the parents of a pupil, the parents of a class or
all the staff. The «Кому» list of the messages screen: the groups the actor may write to,
the people found by the search, and how a choice joins the recipients; sending to them.
Who may write to whom is decided by the service."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text

from tui_journal.i18n import t
from tui_journal.services import messages
from tui_journal.services import roles as R
from tui_journal.services.actor import Actor
from tui_journal.services.messages import Contact, MessageView


@dataclass(frozen=True)
class Target:
    """Whom a message goes to: a person, the parents of a pupil, a class's parents, the staff."""

    kind: str  # user | parents | class_parents | staff
    id: int
    label: str

    @property
    def group(self) -> bool:
        return self.kind != "user"


def group_targets(actor: Actor, classes: Sequence[tuple[int, str]]) -> list[Target]:
    """The groups offered above the people: all the staff (for staff), then the parents of each
    class the actor may write to."""
    groups = []
    if actor.has(*R.STAFF):
        groups.append(Target("staff", 0, t("msg.all_staff")))
    groups += [Target("class_parents", cid, t("msg.class_parents", cls=name)) for cid, name in classes]
    return groups


def _folded(text: str) -> str:
    return text.casefold().replace("ё", "е")


def choices_for(text: str, found: Sequence[Contact], groups: Sequence[Target]) -> list[tuple[Target, Text]]:
    """The «Кому» list for the typed ``text``: the groups whose name holds it, then the people
    the service found, each with its label (a group in bold, a person with what he is)."""
    key = _folded(text.strip())
    rows = [(g, Text(g.label, style="bold")) for g in groups if not key or key in _folded(g.label)]
    for c in found:
        label = Text(c.name)
        if c.note:
            label.append(f" — {c.note}")
        rows.append((Target("user", c.user_id, c.name), label))
    return rows


def with_target(targets: Sequence[Target], target: Target) -> list[Target]:
    """The recipients after choosing ``target``: a group stands alone (and is replaced by any
    later choice); people add up, each once."""
    if target.group or any(x.group for x in targets):
        return [target]
    if all(x.id != target.id for x in targets):
        return [*targets, target]
    return list(targets)


def send_to(actor: Actor, targets: Sequence[Target], subject: str, body: str) -> MessageView:
    """Send to the chosen recipients (the first says which kind they are)."""
    first = targets[0]
    if first.kind == "staff":
        return messages.send_to_staff(actor, subject, body)
    if first.kind == "class_parents":
        return messages.send_to_class_parents(actor, first.id, subject, body)
    if first.kind == "parents":
        return messages.send_to_parents(actor, first.id, subject, body)
    return messages.send_message(actor, [x.id for x in targets], subject, body)
