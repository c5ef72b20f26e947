"""Brokers, gatekeepers and hidden influencers: network roles on an account's people network.

The network is the projection of ``stakemap.rules.network`` (people only; ties from
relationships, meetings both attended and, unless ``reporting=False``, reporting lines),
read by the store where the data lives and bounded to one account. The measures
(betweenness, articulation points, influence rank, who cuts whom off, hidden influencers)
are defined in ``stakemap.rules.centrality``, which the rule types ``hidden-influencer`` and
``gatekeeper-uncovered`` share; the three people with the highest betweenness above 0 are
the account's **brokers**, and a **gatekeeper** is one of their people who cuts someone off.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from stakemap.analysis.arguments import day_argument, strings_argument
from stakemap.errors import UsageError
from stakemap.escape import csv_cell, markdown_code, markdown_text
from stakemap.model.enums import Side
from stakemap.model.integrity import did_you_mean
from stakemap.rules.centrality import LOW_INFLUENCE, measure, pagerank
from stakemap.rules.network import PeopleNetwork

if TYPE_CHECKING:
    from stakemap.backends import GraphStore
    from stakemap.graph import StakeholderGraph

__all__ = ["LOW_INFLUENCE", "AccountNetwork", "NetworkReport", "PersonRole", "network_roles",
           "pagerank", "roles_of"]

BROKERS = 3


class PersonRole(BaseModel):
    """One person's place in the account's network."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    side: Side
    influence: int | None
    """Their rated influence (1-5), if any."""
    betweenness: float
    influence_rank: float
    """PageRank on the influence graph."""
    ties: int
    articulation: bool
    broker: bool
    gatekeeper: bool
    cuts_off: tuple[str, ...]
    """Their people who lose every tie path to ours without this person."""
    hidden_influencer: bool


class AccountNetwork(BaseModel):
    model_config = ConfigDict(frozen=True)

    account: str
    name: str
    reporting: bool
    """Whether reporting lines count as ties in this projection."""
    people: tuple[PersonRole, ...]
    ties: int

    def brokers(self) -> list[PersonRole]:
        return sorted((p for p in self.people if p.broker), key=lambda p: -p.betweenness)

    def gatekeepers(self) -> list[PersonRole]:
        return [p for p in self.people if p.gatekeeper]

    def hidden_influencers(self) -> list[PersonRole]:
        return [p for p in self.people if p.hidden_influencer]


class NetworkReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    as_of: date
    accounts: tuple[AccountNetwork, ...]

    def as_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(),
                "accounts": [a.model_dump(mode="json") for a in self.accounts]}

    def to_json(self) -> str:
        return json.dumps(self.as_json(), indent=2, ensure_ascii=False)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        rows = [["account", "person", "name", "side", "influence", "betweenness",
                 "influence_rank", "ties", "articulation", "broker", "gatekeeper", "cuts_off",
                 "hidden_influencer"]]
        rows += [[a.account, p.id, p.name, p.side.value, "" if p.influence is None
                  else str(p.influence), f"{p.betweenness:.4f}", f"{p.influence_rank:.4f}",
                  str(p.ties), str(p.articulation).lower(), str(p.broker).lower(),
                  str(p.gatekeeper).lower(), " ".join(p.cuts_off),
                  str(p.hidden_influencer).lower()]
                 for a in self.accounts for p in a.people]
        writer.writerows([csv_cell(c) for c in row] for row in rows)
        return out.getvalue()

    def to_markdown(self) -> str:
        lines = [f"# Network roles (as of {self.as_of.isoformat()})", ""]
        for a in self.accounts:
            lines += [f"## {markdown_text(a.name)} ({markdown_code(a.account)})", "",
                      f"{len(a.people)} people, {a.ties} ties; reporting lines "
                      f"{'count' if a.reporting else 'do not count'} as ties.", ""]
            lines += ["| role | person | side | betweenness | influence rank | rated |",
                      "|---|---|---|---:|---:|---:|"]
            for role, people in (("broker", a.brokers()), ("gatekeeper", a.gatekeepers()),
                                 ("hidden influencer", a.hidden_influencers())):
                lines += [f"| {role} | {markdown_text(p.name)} | {p.side.value} | "
                          f"{p.betweenness:.3f} | {p.influence_rank:.3f} | "
                          f"{p.influence if p.influence is not None else '-'} |"
                          for p in people]
            lines.append("")
        return "\n".join(lines)


def roles_of(network: PeopleNetwork, name: str | None = None) -> AccountNetwork:
    """The network roles in one account's network (see the module); pure: no store."""
    found = measure(network)
    brokers = {p for p, m in sorted(found.items(), key=lambda x: (-x[1].betweenness, x[0]))
               [:BROKERS] if m.betweenness > 0}
    people = tuple(PersonRole(
        id=p.id, name=p.name, side=p.side, influence=p.influence,
        betweenness=(m := found[p.id]).betweenness, influence_rank=m.influence_rank,
        ties=m.ties, articulation=m.articulation, broker=p.id in brokers,
        gatekeeper=bool(m.cuts_off), cuts_off=m.cuts_off,
        hidden_influencer=m.hidden_influencer) for p in network.people)
    return AccountNetwork(account=network.account, name=name or network.account,
                          reporting=network.reporting, people=people, ties=len(network.ties))


def network_roles(source: StakeholderGraph | GraphStore, *, customers: Iterable[str] = (),
                  as_of: date | None = None, reporting: bool = True) -> NetworkReport:
    """Brokers, articulation points, influence, gatekeepers and hidden influencers of each
    account (or of ``customers``), as of a day (today). Each account's network is read by
    the store where the data lives (Cypher in Neo4j), bounded to the account; the measures
    are computed on it here, identically for every store."""
    from stakemap.graph import StakeholderGraph

    store: GraphStore = source.store if isinstance(source, StakeholderGraph) else source
    day = day_argument(as_of, "network_roles") or date.today()
    wanted = strings_argument("customers", customers, verb="network_roles")
    accounts = [a.id for a in store.accounts()]
    missing = sorted(set(wanted) - set(accounts))
    if missing:
        raise UsageError(f"no account {', '.join(repr(m) for m in missing)}; "
                         + (did_you_mean(missing[0], accounts) or "check the id"))
    chosen = [a for a in accounts if not wanted or a in wanted]
    runner = store.rule_runner(day)
    names = store.names(chosen)
    return NetworkReport(as_of=day, accounts=tuple(
        roles_of(runner.people_network(a, reporting), names.get(a, a)) for a in chosen))
