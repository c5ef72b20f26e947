"""Hashes of what users read: the gap report (JSON), every diagram (DOT) and every review pack
(Markdown), on every example and on a generated portfolio.

A refactoring must leave all of them byte-identical. Run it before and after, and compare:

    python tools/output_hashes.py --out /tmp/before.txt
    python tools/output_hashes.py --out /tmp/after.txt && diff /tmp/before.txt /tmp/after.txt

Uses only ``stakemap``'s public API (``load_portfolio``, ``find_gaps``, ``stakemap.render``),
so it runs unchanged against any version that has it. ``--generated N`` sets the size of the
generated portfolio (100 customers, seed 0, by default; 0 leaves it out).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 1)
EXAMPLES = {"msp-operations": "msp-account-team", "vendor-implementation": "account-trio",
            "it-customer-teams": "it-customer-team"}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def hashes(graph: object, label: str, playbook: str) -> list[str]:
    import stakemap
    from stakemap.render import render, report

    lines = []
    gaps = stakemap.find_gaps(graph, playbook=playbook, as_of=AS_OF)
    lines.append(f"{label}  gaps --format json  {_digest(gaps.to_json())}")
    overview = render(graph, playbook=playbook, as_of=AS_OF)
    lines.append(f"{label}  render --format dot  {_digest(overview.source)}")
    for score in gaps.scores:
        account = score.customer
        diagram = render(graph, customer=account, playbook=playbook, as_of=AS_OF)
        lines.append(f"{label}  render --customer {account} --format dot  "
                     f"{_digest(diagram.source)}")
        pack = report(graph, customer=account, playbook=playbook, as_of=AS_OF)
        lines.append(f"{label}  report --customer {account} --format markdown  "
                     f"{_digest(pack.markdown())}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the hashes here (default: stdout)")
    parser.add_argument("--generated", type=int, default=100, metavar="N")
    args = parser.parse_args()
    import stakemap

    lines = []
    for example, playbook in EXAMPLES.items():
        graph = stakemap.load_portfolio(ROOT / "examples" / f"{example}.yaml")
        for book in (playbook, "default"):
            lines += hashes(graph, f"{example}.yaml --playbook {book}", book)
    if args.generated:
        from stakemap.generate import generate_portfolio

        portfolio = generate_portfolio(args.generated, seed=0)
        graph = stakemap.StakeholderGraph.from_portfolio(portfolio)
        for book in ("default", "msp-account-team"):
            lines += hashes(graph, f"generated-{args.generated} --playbook {book}", book)
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"{len(lines)} outputs hashed to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
