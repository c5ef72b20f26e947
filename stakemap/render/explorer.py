"""The explorer: one account as a self-contained HTML page to pan, zoom, search and click.

``explorer(graph, customer=...)`` returns an ``Explorer``: its ``html`` is one file that
opens from a disk or a mail attachment with no network: the graph-drawing library
(cytoscape.js, vendored in ``assets/`` at the version ``package.json`` pins), the page's own
script and style, and the account's data are all inlined.

The data goes in as JSON inside ``<script type="application/json">``, escaped by
``stakemap.escape.script_json`` so no name can end that element, and the page's script
sets every piece of it with ``textContent``: user text is never markup, here or there.

The review pack (``stakemap.render.review``) stays script-free, so it can be mailed to
anyone; it links to the explorer only when asked (``report --interactive``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stakemap.atomic_write import check_not_input, write_atomic
from stakemap.escape import html_text, script_json

if TYPE_CHECKING:
    from stakemap.analysis.account import AccountView
    from stakemap.analysis.gaps import Finding
    from stakemap.analysis.playbook import Playbook
    from stakemap.backends import GraphStore
    from stakemap.graph import StakeholderGraph
    from stakemap.rules.network import PeopleNetwork

__all__ = ["Explorer", "explorer", "explorer_data", "library_version"]

LIBRARY = "cytoscape.min.js"
"""The vendored graph-drawing library, in ``stakemap/render/assets``."""


@cache
def _asset(name: str) -> str:
    return (resources.files("stakemap.render") / "assets" / name).read_text(encoding="utf-8")


def library_version() -> str:
    """The version of the vendored cytoscape.js, read from the file itself (its
    ``version="..."``): what a test compares with ``package.json``'s pin."""
    import re

    found = re.search(r'\.version="(\d+\.\d+\.\d+)"', _asset(LIBRARY))
    return found.group(1) if found else ""


@dataclass(frozen=True)
class Explorer:
    """The explorer page of one account: ``html`` is the whole file."""

    data: dict[str, Any]
    """What the page shows, as it is embedded (JSON-ready)."""

    @property
    def html(self) -> str:
        return explorer_html(self.data)

    def save(self, path: str | os.PathLike[str], *,
             inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
        """Write the page. The file appears whole or not at all (``stakemap.atomic_write``);
        a target that is one of ``inputs`` (the files the caller read) is refused first."""
        inputs = tuple(inputs)
        check_not_input(path, inputs)
        return write_atomic(path, self.html, inputs=inputs)

    def _repr_html_(self) -> str:
        return self.html


def explorer(
    source: StakeholderGraph | GraphStore,
    *,
    customer: str,
    playbook: Playbook | str | Iterable[str] | None = None,
    as_of: date | None = None,
) -> Explorer:
    """The explorer of ``customer``: its people on both sides (folded into teams under
    their managers), services and agreements, reporting lines, ties, roles and authority,
    with the playbook's findings (default playbook ``default``, as of today) on whom they
    are about."""
    from stakemap.analysis.account import AccountView
    from stakemap.analysis.gaps import find_gaps
    from stakemap.graph import StakeholderGraph

    store = source.store if isinstance(source, StakeholderGraph) else source
    account = AccountView.from_store(store, customer)  # refuses a non-customer first
    report = find_gaps(store, playbook=playbook, as_of=as_of, customers=[customer])
    network = store.rule_runner(report.as_of).people_network(customer, reporting=False)
    return Explorer(explorer_data(account, report.findings, network,
                                  playbook=report.playbook, as_of=report.as_of))


def explorer_data(view: AccountView, findings: Iterable[Finding], network: PeopleNetwork,
                  *, playbook: str, as_of: date) -> dict[str, Any]:
    """The page's data: a pure function of the account view, its findings and its people
    network, so every rule of what the page shows is tested without a browser."""
    from stakemap.model.enums import PersonStatus, ReportLine, Side

    account_id = view.account.id
    found = [f for f in findings if f.customer in (None, account_id)]
    names: dict[str, str] = {account_id: view.account.name}
    people: dict[str, dict[str, Any]] = {}

    def person(pid: str, name: str, side: Side) -> dict[str, Any]:
        names[pid] = name
        return people.setdefault(pid, {
            "id": pid, "name": name, "side": side.value, "title": None, "status": "active",
            "stance": None, "influence": None, "interest": None, "team": False,
            "group": None, "manager": [], "reports": [], "roles": [], "authority": [],
            "ties": [], "findings": [], "involved": []})

    for side, members in ((Side.CUSTOMER, view.customer_people), (Side.PROVIDER, view.team)):
        for p in members:
            entry = person(p.id, p.name, side)
            entry.update(title=p.title, status=p.status.value,
                         stance=p.stance.value if p.stance else None,
                         influence=p.influence, interest=p.interest,
                         left=p.status is PersonStatus.LEFT, team=side is Side.PROVIDER)
    for n in network.people:  # ours with a tie to the account but no role on it, too
        entry = person(n.id, n.name, n.side)
        entry["team"] = entry["team"] or n.team
        if entry["influence"] is None:
            entry["influence"] = n.influence
    names.update({s.id: s.name for s, _ in view.services})
    names.update({a.id: a.name for a in view.agreements})

    def role_name(role: str) -> str:
        known = view.catalog.get(role)
        return known.name if known else role

    edges: list[dict[str, Any]] = []
    for r in view.roles:
        if r.source not in people:
            continue
        where = None if r.target == account_id else names.get(r.target, r.target)
        people[r.source]["roles"].append({"role": role_name(r.role), "at": where})
        if r.target != account_id and r.target in names:
            edges.append({"kind": "role", "source": r.source, "target": r.target,
                          "label": role_name(r.role)})
    for a in view.authority:
        if a.source not in people:
            continue
        people[a.source]["authority"].append(
            {"scope": a.scope.value, "over": names.get(a.target, a.target)})
        if a.target != account_id and a.target in names:
            edges.append({"kind": "decides", "source": a.source, "target": a.target,
                          "label": f"decides: {a.scope.value}"})
    for o in view.owners:
        if o.source in people and o.target in names:
            edges.append({"kind": "owns", "source": o.source, "target": o.target,
                          "label": "owns"})
    for line in view.reports:
        if line.source not in people or line.target not in people:
            continue
        dotted = line.line is ReportLine.DOTTED
        people[line.source]["manager"].append({"id": line.target, "name": names[line.target],
                                               "dotted": dotted})
        people[line.target]["reports"].append({"id": line.source, "name": names[line.source],
                                               "dotted": dotted})
        edges.append({"kind": "dotted" if dotted else "reports", "source": line.target,
                      "target": line.source, "label": ""})

    edges += _ties(view, network, found, people)

    things = _things(view)
    out_findings = _place_findings(found, people, things)
    groups = _groups(people)
    return {
        "account": {"id": account_id, "name": view.account.name},
        "provider": view.provider.name if view.provider else "Our team",
        "playbook": playbook,
        "as_of": as_of.isoformat(),
        "people": sorted(people.values(), key=lambda p: (p["side"], p["name"], p["id"])),
        "groups": groups,
        "things": list(things.values()),
        "edges": [{"id": f"e{i}", **e} for i, e in enumerate(edges)],
        "findings": out_findings,
    }


def _ties(view: AccountView, network: PeopleNetwork, found: list[Finding],
          people: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The network's ties among the people shown: each listed on both people (strongest
    first) with its sentiment (of the declared relationship) and whether a finding calls
    it stale; returned as the page's edges."""
    sentiment = {tuple(sorted((r.source, r.target))): r.sentiment.value
                 for r in view.relationships}
    stale = _stale_pairs(found)
    edges = []
    for t in network.ties:
        if t.a not in people or t.b not in people:
            continue
        pair = (t.a, t.b)
        tie = {"kinds": list(t.kinds), "strength": round(t.strength, 2),
               "last_contact": t.last_contact.isoformat() if t.last_contact else None,
               "sentiment": sentiment.get(pair), "stale": pair in stale}
        people[t.a]["ties"].append({"id": t.b, "name": people[t.b]["name"], **tie})
        people[t.b]["ties"].append({"id": t.a, "name": people[t.a]["name"], **tie})
        edges.append({"kind": "tie", "source": t.a, "target": t.b,
                      "label": " + ".join(t.kinds), **tie})
    for entry in people.values():
        entry["ties"].sort(key=lambda x: (-x["strength"], x["name"]))
    return edges


def _things(view: AccountView) -> dict[str, dict[str, Any]]:
    """The account's services and agreements, by id, as the page shows them."""
    things: dict[str, dict[str, Any]] = {}
    for service, vital in view.services:
        things[service.id] = {"id": service.id, "name": service.name, "kind": "service",
                              "vital": vital, "findings": []}
    for agreement in view.agreements:
        things[agreement.id] = {
            "id": agreement.id, "name": agreement.name, "kind": "agreement", "vital": False,
            "next_review": agreement.next_review.isoformat() if agreement.next_review
            else None, "findings": []}
    return things


def _place_findings(found: list[Finding], people: dict[str, dict[str, Any]],
                    things: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings as the page lists them; each is filed (by index) under its subject, and
    under the other people its evidence names ("also involved in"), so a click on either
    shows it."""
    out = []
    for index, f in enumerate(found):
        out.append({"code": f.code, "severity": f.severity.value, "subject": f.subject,
                    "subject_name": f.subject_name, "message": f.message,
                    "remediation": f.remediation})
        holder = people.get(f.subject) or things.get(f.subject)
        if holder is not None:
            holder["findings"].append(index)
        for other in dict.fromkeys(f.evidence):
            if other != f.subject and other in people:
                people[other]["involved"].append(index)
    return out


def _stale_pairs(findings: Iterable[Finding]) -> set[tuple[str, ...]]:
    """The ties a stale-relationship finding names (its own, or folded into another's)."""
    pairs = set()
    for f in findings:
        for kind, evidence in ((f.rule_type, f.evidence),
                               *((a.rule_type, a.evidence) for a in f.also)):
            if kind == "stale-relationship" and len(evidence) == 2:
                pairs.add(tuple(sorted(evidence)))
    return pairs


def _groups(people: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Fold each side's people into teams the page can collapse, by their solid reporting
    lines (a person has no department field): under each top person, every direct report
    who manages people heads a team of their whole line; a top person whose reports manage
    no one heads the team themselves. Sets each member's ``group``; returns the teams."""
    solid_reports: dict[str, list[str]] = {}
    has_manager: set[str] = set()
    for pid, p in people.items():
        for m in p["manager"]:
            if not m["dotted"] and pid not in has_manager:
                has_manager.add(pid)
                solid_reports.setdefault(m["id"], []).append(pid)

    def line_of(head: str) -> list[str]:
        out, todo, seen = [], [head], set()
        while todo:
            pid = todo.pop()
            if pid in seen:
                continue
            seen.add(pid)
            out.append(pid)
            todo.extend(solid_reports.get(pid, []))
        return out

    heads = []
    for root in sorted(pid for pid in people if pid not in has_manager):
        below = solid_reports.get(root, [])
        managers = [r for r in below if solid_reports.get(r)]
        if managers:
            heads.extend(sorted(managers))
        elif below:
            heads.append(root)
    groups = []
    for head in heads:
        members = [m for m in line_of(head) if people[m]["group"] is None]
        if len(members) < 2:
            continue
        gid = f"team:{head}"
        for m in members:
            people[m]["group"] = gid
        groups.append({"id": gid, "name": f"{people[head]['name']}'s team",
                       "side": people[head]["side"], "head": head, "size": len(members)})
    return groups


def explorer_html(data: dict[str, Any]) -> str:
    """The page: fixed markup, the inlined library, style and script, and ``data`` as JSON
    (``script_json``). The only user text outside the JSON is the title, ``html_text``."""
    title = html_text(f"Account explorer: {data['account']['name']}")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{title}</title>\n<style>\n{_asset('explorer.css')}</style>\n</head>\n<body>\n"
        f"{_asset('explorer-body.html')}"
        f"<script type=\"application/json\" id=\"data\">{script_json(data)}</script>\n"
        f"<script>\n{_asset(LIBRARY)}\n</script>\n"
        f"<script>\n{_asset('explorer.js')}</script>\n"
        "</body>\n</html>\n"
    )
