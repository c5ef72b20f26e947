"""The words of the review pack's "Key connectors" and "If these people leave" sections, as
plain text: one place for the phrasing, so the HTML page and the Markdown pack say the same
thing. Nothing here is escaped; each renderer escapes what it writes.
"""

from __future__ import annotations

import shlex

from stakemap.analysis.keypeople import KeyPersonRisk
from stakemap.analysis.network import AccountNetwork
from stakemap.analysis.review import AccountReview, Connector, ThingRow
from stakemap.model.enums import Side

__all__ = [
    "MAP_NOTE",
    "NO_CONNECTORS",
    "NO_LEAVERS",
    "connector_evidence",
    "draw_command",
    "leaver_evidence",
    "leaver_score",
    "projection",
    "side_word",
    "thing_kind",
]

MAP_NOTE = ("Their people, with who of ours knows each of them. Our team is in \"Who covers "
            "whom\", the services and agreements in the table under the map.")
"""What the pack's map holds: their chart alone, which is what reads at page width."""


def draw_command(account_id: str) -> str:
    """The command that draws the account's whole map, the id quoted for a POSIX shell."""
    return f"stakemap render FILE --customer {shlex.quote(account_id)} -o " \
        f"{shlex.quote(account_id + '.svg')}"


NO_CONNECTORS = "No broker, gatekeeper or hidden influencer in this account's network."
NO_LEAVERS = "No single departure costs this account anything."


def side_word(side: Side) -> str:
    """"ours" or "theirs": how the meeting talks about the two sides."""
    return "ours" if side is Side.PROVIDER else "theirs"


def projection(network: AccountNetwork) -> str:
    """Which network the connectors were found on, so nobody reads them as an org chart."""
    ties = "relationships, shared meetings and reporting lines" if network.reporting \
        else "relationships and shared meetings (reporting lines not counted)"
    return (f"Found on the account's people network (people and their ties: {ties}): "
            f"{len(network.people)} people, {network.ties} ties.")


def connector_evidence(connector: Connector) -> list[str]:
    """Why each of the person's roles holds, in the order of ``connector.roles``."""
    p = connector.person
    out = []
    for role in connector.roles:
        if role == "broker":
            out.append(f"on {p.betweenness:.0%} of the shortest chains between the account's "
                       "people")
        elif role == "gatekeeper":
            out.append(f"our only link to {_names(connector.cuts_off)}")
        elif role == "hidden influencer":
            rated = f"rated influence {p.influence}" if p.influence is not None \
                else "not rated on influence"
            out.append(f"{rated} but central")
    return out


def leaver_score(review: AccountReview, leaver: KeyPersonRisk) -> str:
    """"50 → 20 (-30)": the account's coverage score with and without them."""
    cost = review.leaver_cost(leaver)
    if cost is None:
        return "-"
    return f"{cost.score_before} → {cost.score_after}" + (
        f" ({-cost.lost:+d})" if cost.lost else "")  # a departure can raise it too: (+1)


def leaver_evidence(review: AccountReview, leaver: KeyPersonRisk) -> list[str]:
    """What follows their departure: each new finding's message, then who we could no
    longer reach (named, from the review's own people)."""
    cost = review.leaver_cost(leaver)
    if cost is None:
        return []
    out = [f.message for f in cost.new_findings]
    if cost.unreachable:
        count = len(cost.unreachable)
        out.append(f"{count} {'person' if count == 1 else 'people'} out of reach: "
                   + _names(tuple(review.name_of(i) for i in cost.unreachable)))
    return out or ["no new finding; the score drops"]


def _names(names: tuple[str, ...]) -> str:
    """"A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def thing_kind(row: ThingRow) -> str:
    """"vital service", "service", or an agreement with its next review."""
    if row.kind == "service":
        return "vital service" if row.vital else "service"
    return (f"agreement, next review {row.next_review.isoformat()}" if row.next_review
            else "agreement, no review date")
