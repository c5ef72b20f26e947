"""The scale benchmarks of issue 6, in one run: every target, its figure and its ratio.

    make bench                                  # everything; starts and stops a throwaway Neo4j
    make bench BENCH_ARGS="--only load,help"    # some of it
    make bench BENCH_ARGS="--customers 100"     # on M instead of L
    make bench BENCH_ARGS="--only misspelt --misspelt 1000,2000,4000"

Each figure is the median of ``--runs`` runs; each ratio is measured in the same run as
what it is compared with. Generated portfolios are cached under ``benchmarks/.data`` (keyed
by the generator's source, so a changed generator makes new ones). The results also go to
``out/bench.json``. Neo4j parts need a server: ``STAKEMAP_TEST_NEO4J_URL``, or the one
``tools/neo4j/neo4j.sh run`` starts (see ``_server.py``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"
AS_OF = date(2026, 11, 1)
SECTIONS = ("load", "misspelt", "memory-report", "memory-rss", "neo4j-import",
            "neo4j-report", "diagram", "overview", "help", "scores", "social", "keypeople",
            "pictures", "crm", "export")


@dataclass
class Result:
    name: str
    value: float
    unit: str
    target: str
    met: bool | None
    note: str = ""


def _median(fn: Callable[[], Any], runs: int) -> tuple[float, list[float], Any]:
    times, value = [], None
    for _ in range(runs):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times, value


def _runs(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times)


def portfolio_file(customers: int, suffix: str = "json", **spec: Any) -> Path:
    """A generated portfolio file, made once per generator version and shape."""
    from stakemap.files.save import write_portfolio
    from stakemap.generate import GeneratorSpec, generate

    source = (ROOT / "stakemap" / "generate.py").read_bytes()
    tag = hashlib.sha256(source + repr(sorted(spec.items())).encode()).hexdigest()[:10]
    path = DATA / f"gen-{customers}-{tag}.{suffix}"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        print(f"  (generating {path.name})", flush=True)
        write_portfolio(generate(GeneratorSpec(customers=customers, seed=1, **spec)).portfolio,
                        path)
    return path


def bench_load(args: argparse.Namespace) -> list[Result]:
    import gc

    import yaml

    import stakemap
    from stakemap.files.load import read_portfolio

    path = portfolio_file(args.customers)

    def bare() -> Any:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)

    results = []
    bare_s, bare_runs, _ = _median(bare, args.runs)
    gc.collect()
    read_s, read_runs, portfolio = _median(lambda: read_portfolio(path), args.runs)
    rows = len(portfolio.nodes) + len(portfolio.edges)
    del portfolio
    gc.collect()
    graph_s, graph_runs, _ = _median(lambda: stakemap.load_portfolio(path), args.runs)
    results.append(Result("json.load (the floor)", bare_s, "s", "", None,
                          f"{path.stat().st_size / 2**20:.0f} MiB, runs {_runs(bare_runs)}"))
    results.append(Result("read + validate JSON", read_s, "s", "<= 3x json.load",
                          read_s <= 3 * bare_s, f"{read_s / bare_s:.1f}x; {rows:,} rows; "
                          f"runs {_runs(read_runs)}"))
    results.append(Result("load JSON into the memory store", graph_s, "s", "(reported)", None,
                          f"{graph_s / bare_s:.1f}x json.load; runs {_runs(graph_runs)}"))
    # YAML, through libyaml's C loader, on a tenth of the size (YAML is for hand-written files)
    small = portfolio_file(max(1, args.customers // 10), suffix="yaml")
    loader = getattr(yaml, "CSafeLoader", None)

    def bare_yaml() -> Any:
        with small.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=loader or yaml.SafeLoader)

    yaml_bare, _, _ = _median(bare_yaml, args.runs)
    yaml_read, yaml_runs, _ = _median(lambda: read_portfolio(small), args.runs)
    results.append(Result("read + validate YAML (1/10 size)", yaml_read, "s",
                          "C loader", loader is not None,
                          f"{yaml_read / yaml_bare:.1f}x a bare C-loader yaml.load "
                          f"({yaml_bare:.2f} s); runs {_runs(yaml_runs)}"))
    return results


def _typo(word: str, taken: set[str], used: dict[str, str], rng: random.Random) -> str:
    """A slip of the keyboard (two letters swapped, one dropped or doubled) that names no id,
    and is new if the id has one left: each distinct typo costs a lookup of its own."""
    slips = [word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)]
    slips += [word[:i] + word[i + 1:] for i in range(len(word))]
    slips += [word[:i] + word[i] + word[i:] for i in range(len(word))]
    rng.shuffle(slips)
    wrong = [s for s in slips if s and s not in taken]
    return next((s for s in wrong if s not in used), wrong[0])


def misspelt_file(people: int, folder: Path) -> tuple[Path, Path, int, dict[str, str]]:
    """A generated YAML portfolio of about ``people`` people, each with one misspelt
    reference: the manager they report to, or their organization when they report to nobody.
    Returns that file, the same portfolio without the typos, the number of people (= typos)
    and each distinct typo with the id it was meant to be."""
    import yaml

    from stakemap.files.save import dump_portfolio
    from stakemap.generate import GeneratorSpec, generate

    per_customer = GeneratorSpec().people_per_customer + 1.5  # the provider adds 1.5 each
    spec = GeneratorSpec(customers=max(1, round(people / per_customer)), seed=1)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = dump_portfolio(generate(spec).portfolio)
    clean = folder / f"clean-{people}.yaml"
    clean.write_text(text, encoding="utf-8")
    data = yaml.load(text, Loader=loader)
    taken = {e["id"] for section in ("organizations", "people", "services", "agreements",
                                     "meetings") for e in data.get(section) or []}
    rng = random.Random(1)
    meant: dict[str, str] = {}

    def slip(word: str) -> str:
        wrong = _typo(word, taken, meant, rng)
        meant[wrong] = word
        return wrong

    for person in data["people"]:
        manager = person.get("reports_to")
        if isinstance(manager, list):
            manager = person["reports_to"] = manager[0]
        if isinstance(manager, str):
            person["reports_to"] = slip(manager)
        elif isinstance(manager, dict):
            manager["to"] = slip(manager["to"])
        else:
            person["organization"] = slip(person["organization"])
    path = folder / f"misspelt-{people}.yaml"
    path.write_text(yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                              sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path, clean, len(data["people"]), meant


def bench_misspelt(args: argparse.Namespace) -> list[Result]:
    """``stakemap validate`` on a file where every person has a misspelt reference: each
    unknown id gets a "did you mean", which must not cost a scan of every id."""
    from stakemap.errors import PortfolioError
    from stakemap.files.load import read_portfolio

    results = []
    for people in (int(n) for n in args.misspelt.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            path, clean, count, meant = misspelt_file(people, Path(folder))
            clean_s, clean_runs, _ = _median(lambda clean=clean: read_portfolio(clean),
                                             args.runs)

            def validate(path: Path = path) -> list[Any]:
                try:
                    read_portfolio(path)
                except PortfolioError as exc:
                    return list(exc.problems)
                raise AssertionError(f"{path} has misspelt ids but loaded")

            seconds, runs, problems = _median(validate, args.runs)
        hinted = sum(1 for p in problems if p.hint and p.hint.startswith("did you mean"))
        unknown = [(re.search(r"unknown \w+ '([^']*)'", p.message), p.hint) for p in problems]
        right = sum(1 for found, hint in unknown
                    if found and hint == f"did you mean '{meant.get(found[1])}'?")
        results.append(Result(f"load the same {count:,} people without typos", clean_s, "s",
                              "", None, f"runs {_runs(clean_runs)}"))
        results.append(Result(
            f"validate {count:,} people, each with a misspelt id", seconds, "s", "< 10 s",
            seconds < 10 and len(problems) >= count,
            f"{len(meant):,} distinct typos; {len(problems):,} problems, {hinted:,} with a "
            f"suggestion, {right:,} of them the id meant; runs {_runs(runs)}"))
    return results


def _edge_pass(store: Any) -> int:
    """The floor any analysis pays: one pure-Python pass over every edge of the graph,
    reading each edge's kind and ends into per-node counters."""
    degree: dict[str, int] = {}
    for _, _, model in store._graph.edges(data="model"):
        degree[model.source] = degree.get(model.source, 0) + 1
        degree[model.target] = degree.get(model.target, 0) + 1
    return len(degree)


def bench_memory_report(args: argparse.Namespace) -> list[Result]:
    import stakemap
    from stakemap.model.enums import EdgeKind

    graph = stakemap.load_portfolio(portfolio_file(args.customers))
    floor_s, floor_runs, _ = _median(lambda: _edge_pass(graph.store), args.runs)
    report_s, runs, report = _median(
        lambda: stakemap.find_gaps(graph, as_of=AS_OF), args.runs)
    counts = graph.store.counts()
    edges = sum(counts[k.value] for k in EdgeKind)
    return [
        Result("one pass over all edges (the floor)", floor_s, "s", "", None,
               f"{edges:,} edges; "
               f"runs {_runs(floor_runs)}"),
        Result("full gap report, memory", report_s, "s", "<= 5x one edge pass",
               report_s <= 5 * floor_s,
               f"{report_s / floor_s:.1f}x; {len(report.findings):,} findings; runs {_runs(runs)}"),
    ]


# Peak memory of a child comes from VmHWM: ru_maxrss survives fork+exec on Linux, so a child
# would report its parent's high-water mark if that is higher.
_PEAK = """
def peak_mib():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) for l in status if l.startswith("VmHWM")) / 1024
"""

_RSS_PROBE = _PEAK + """
import sys, stakemap
graph = stakemap.load_portfolio(sys.argv[1])
print(peak_mib())
"""


def bench_memory_rss(args: argparse.Namespace) -> list[Result]:
    path = portfolio_file(args.customers)
    out = subprocess.run([sys.executable, "-c", _RSS_PROBE, str(path)], check=True,
                         capture_output=True, text=True).stdout
    peak = float(out.split()[-1])
    return [Result("peak RSS, memory backend holding the portfolio", peak, "MiB",
                   "< 1536 MiB", peak < 1536, "a fresh process: load_portfolio of the JSON")]


def bench_neo4j_import(args: argparse.Namespace) -> list[Result]:
    from _server import open_bench_store

    import stakemap
    from stakemap.files.load import read_portfolio
    from stakemap.generate import generate_portfolio

    big = read_portfolio(portfolio_file(args.customers))
    small = generate_portfolio(4, seed=1)

    def rate(portfolio: Any, batch_size: int, runs: int) -> tuple[float, list[float]]:
        rows = len(portfolio.nodes) + len(portfolio.edges)
        store = open_bench_store(batch_size)
        rates = []
        try:
            for _ in range(runs):
                store.clear()
                started = time.perf_counter()
                stakemap.StakeholderGraph.from_portfolio(portfolio, store)
                rates.append(rows / (time.perf_counter() - started))
            store.clear()
        finally:
            store.close()
        return statistics.median(rates), rates

    rate(small, 5_000, 1)  # warm-up: plan compilation and the JIT, not counted
    baseline, base_runs = rate(small, 1, args.runs)
    batched, runs = rate(big, 5_000, args.runs)
    rows = len(big.nodes) + len(big.edges)
    return [
        Result("Neo4j import, one row per transaction", baseline, "rows/s", "", None,
               f"{len(small.nodes) + len(small.edges):,} rows; runs "
               f"{', '.join(f'{r:,.0f}' for r in base_runs)}"),
        Result("Neo4j import, batched", batched, "rows/s", ">= 30,000 rows/s and >= 50x",
               batched >= 30_000 and batched >= 50 * baseline,
               f"{batched / baseline:.0f}x; {rows:,} rows; runs "
               f"{', '.join(f'{r:,.0f}' for r in runs)}"),
    ]


_NEO4J_REPORT = _PEAK + """
import json, sys, time
from datetime import date
sys.path.insert(0, sys.argv[1])
import stakemap
from _server import open_bench_store
store = open_bench_store()
times = []
for _ in range(int(sys.argv[2])):
    started = time.perf_counter()
    report = stakemap.find_gaps(store, as_of=date(2026, 11, 1))
    times.append(time.perf_counter() - started)
store.close()
print(json.dumps({"times": times, "findings": len(report.findings),
                  "digest": hash(report.to_json()),
                  "rss": peak_mib()}))
"""


def bench_neo4j_report(args: argparse.Namespace) -> list[Result]:
    from _server import open_bench_store

    import stakemap
    from stakemap.files.load import read_portfolio

    portfolio = read_portfolio(portfolio_file(args.customers))
    store = open_bench_store()
    try:
        store.clear()
        stakemap.StakeholderGraph.from_portfolio(portfolio, store)
    finally:
        store.close()
    memory = stakemap.find_gaps(stakemap.StakeholderGraph.from_portfolio(portfolio),
                                as_of=AS_OF)
    del portfolio
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    out = subprocess.run([sys.executable, "-c", _NEO4J_REPORT, str(ROOT / "benchmarks"),
                          str(args.runs)], check=True, capture_output=True, text=True,
                         env=env).stdout
    child = json.loads(out.strip().splitlines()[-1])
    same = child["findings"] == len(memory.findings)
    median = statistics.median(child["times"])
    baseline = subprocess.run([sys.executable, "-c", _PEAK + "import stakemap.backends.neo4j\n"
                               "print(peak_mib())"],
                              check=True, capture_output=True, text=True).stdout
    return [
        Result("full gap report, Neo4j", median, "s", "< 5 s", median < 5,
               f"{child['findings']:,} findings (memory: {len(memory.findings):,}, "
               f"{'same' if same else 'DIFFERENT'}); runs {_runs(child['times'])}"),
        Result("client peak RSS during the Neo4j report", child["rss"], "MiB", "flat",
               None, f"a bare `import stakemap, neo4j` process: {float(baseline):.0f} MiB"),
    ]


def bench_diagram(args: argparse.Namespace) -> list[Result]:
    import stakemap
    from stakemap.files.load import read_portfolio
    from stakemap.render import render

    path = portfolio_file(1, people_per_customer=300)
    graph = stakemap.StakeholderGraph.from_portfolio(read_portfolio(path))
    customer = next(c.id for c in graph.customers())
    people = len(graph.store.nodes("person", organization=customer))
    seconds, runs, svg = _median(
        lambda: render(graph, customer=customer, as_of=AS_OF).pipe("svg"), args.runs)
    return [Result("account diagram to SVG", seconds, "s", "< 3 s", seconds < 3,
                   f"{people} customer people; {len(svg) / 1024:.0f} KiB SVG; runs {_runs(runs)}")]


def bench_overview(args: argparse.Namespace) -> list[Result]:
    import stakemap
    from stakemap.render import render

    graph = stakemap.load_portfolio(portfolio_file(args.customers))
    engine = render(graph, as_of=AS_OF).engine
    seconds, runs, svg = _median(lambda: render(graph, as_of=AS_OF).pipe("svg"),
                                 max(1, args.runs // 3))
    return [Result("portfolio overview to SVG", seconds, "s", "< 60 s", seconds < 60,
                   f"{args.customers} accounts, engine {engine}; {len(svg) / 2**20:.1f} MiB "
                   f"SVG; runs {_runs(runs)}")]


def bench_help(args: argparse.Namespace) -> list[Result]:
    exe = Path(sys.executable).parent / "stakemap"

    def timed(cmd: list[str]) -> tuple[float, list[float]]:
        times = []
        for _ in range(max(20, args.runs)):
            started = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - started)
        return statistics.median(times), times

    timed([str(exe), "--help"])  # warm the page cache
    bare, _ = timed([sys.executable, "-c", "pass"])
    helped, _ = timed([str(exe), "--help"])
    return [
        Result("python -c pass (the floor)", bare, "s", "", None, ""),
        Result("stakemap --help", helped, "s", "< 0.3 s and <= 3x python -c pass",
               helped < 0.3 and helped <= 3 * bare, f"{helped / bare:.1f}x"),
    ]


def bench_scores(args: argparse.Namespace) -> list[Result]:
    """Not a speed: whether the coverage score separates accounts. On 50 generated accounts
    and on ``--customers``, with the default playbook: the spread between the quartiles must
    be at least 15 points, and at most 5% of accounts may sit at 0 or at 100."""
    import stakemap

    results = []
    for customers in sorted({50, args.customers}):
        graph = stakemap.load_portfolio(portfolio_file(customers))
        scores = [s.score for s in stakemap.find_gaps(graph, as_of=AS_OF).scores]
        q1, median, q3 = statistics.quantiles(scores, n=4)
        ends = scores.count(0) + scores.count(100)
        tens = {d: sum(1 for s in scores if min(s // 10, 9) == d) for d in range(10)}
        results.append(Result(
            f"score spread on {customers} accounts (q3 - q1)", q3 - q1, "points",
            ">= 15, and <= 5% at 0 or 100", q3 - q1 >= 15 and ends <= 0.05 * len(scores),
            f"min {min(scores)}, quartiles {q1:g}/{median:g}/{q3:g}, max {max(scores)}; "
            f"{scores.count(0)} at 0, {scores.count(100)} at 100; by tens "
            + " ".join(f"{10 * d}s:{n}" for d, n in tens.items() if n)))
    return results


def bench_social(args: argparse.Namespace) -> list[Result]:
    """Relationship intelligence on S, M and ``--customers``, memory and Neo4j: one
    introduction path (< 50 ms in memory, < 500 ms on Neo4j), the network roles of one
    account (< 1 s) and one what-if (< 1 s). Each figure is the median over ``--runs`` runs,
    on account c1 (target: its 21st person; leaver: its 2nd)."""
    from _server import open_bench_store

    import stakemap
    from stakemap.files.load import read_portfolio

    targets = {("path", "memory"): 0.05, ("path", "neo4j"): 0.5}
    results = []
    for customers in sorted({10, 100, args.customers}):
        portfolio = read_portfolio(portfolio_file(customers))
        memory = stakemap.StakeholderGraph.from_portfolio(portfolio)
        store = open_bench_store()
        try:
            store.clear()
            stakemap.StakeholderGraph.from_portfolio(portfolio, store)
            for backend, source in (("memory", memory), ("neo4j", store)):
                jobs = {
                    "path": lambda s=source: stakemap.paths(s, to="c1-20", as_of=AS_OF),
                    "network roles": lambda s=source: stakemap.network_roles(
                        s, customers=["c1"], as_of=AS_OF),
                    "whatif": lambda s=source: stakemap.what_if(s, leaves=["c1-1"],
                                                                as_of=AS_OF),
                }
                for name, job in jobs.items():
                    job()  # warm: plans compiled, caches filled
                    seconds, runs, _ = _median(job, args.runs)
                    bound = targets.get((name, backend), 1.0)
                    results.append(Result(
                        f"{name}, {backend}, {customers} customers", seconds, "s",
                        f"< {bound:g} s", seconds < bound, f"runs {_runs(runs)}"))
        finally:
            store.clear()
            store.close()
    return results


def bench_keypeople(args: argparse.Namespace) -> list[Result]:
    """Key-person risk (``whatif --rank``) across the whole portfolio in memory, on S, M and
    ``--customers`` (< 60 s), after the store's index is built (about 2 s at L, once per
    as-of day); on Neo4j for one account (c1), which runs the playbook's queries once per
    person tried, reported without a target. Also the ``network`` playbook's whole report
    in memory against ``default`` (what its two network rule types cost), no target."""
    from _server import open_bench_store

    import stakemap
    from stakemap.files.load import read_portfolio

    results = []
    for customers in sorted({10, 100, args.customers}):
        portfolio = read_portfolio(portfolio_file(customers))
        memory = stakemap.StakeholderGraph.from_portfolio(portfolio)
        memory.store.rule_runner(AS_OF)  # the index, kept by the store
        runs = 1 if customers >= 1000 else args.runs
        seconds, times, ranking = _median(
            lambda m=memory: stakemap.key_people_at_risk(m, as_of=AS_OF), runs)
        results.append(Result(
            f"rank, memory, {customers} customers", seconds, "s", "< 60 s", seconds < 60,
            f"runs {_runs(times)}; {ranking.tried} people tried at {ranking.accounts} accounts"))
        default, _, _ = _median(lambda m=memory: stakemap.find_gaps(m, as_of=AS_OF), runs)
        network, _, _ = _median(
            lambda m=memory: stakemap.find_gaps(m, playbook="network", as_of=AS_OF), runs)
        results.append(Result(
            f"network playbook report, memory, {customers} customers", network, "s", "", None,
            f"default {default:.2f} s, ratio {network / default:.1f}x"))
        store = open_bench_store()
        try:
            store.clear()
            stakemap.StakeholderGraph.from_portfolio(portfolio, store)
            job = lambda s=store: stakemap.key_people_at_risk(  # noqa: E731
                s, customers=["c1"], as_of=AS_OF)
            job()  # warm: plans compiled
            seconds, times, ranking = _median(job, args.runs)
            results.append(Result(
                f"rank one account, neo4j, {customers} customers", seconds, "s", "", None,
                f"runs {_runs(times)}; {ranking.tried} people tried, "
                f"{seconds / max(ranking.tried, 1):.2f} s a person"))
        finally:
            store.clear()
            store.close()
    return results


def _size(octets: int) -> str:
    return f"{octets / 2**20:.1f} MiB" if octets >= 2**20 else f"{octets / 1024:.0f} KiB"


SLIDE = (1920, 1080)
"""A 16:9 slide in pixels; an account map fits it when it is shown at >= ``SLIDE_SCALE``."""
SLIDE_SCALE = 0.74


def bench_pictures(args: argparse.Namespace) -> list[Result]:
    """The pictures of issue 15, in memory: the portfolio heatmap of ``--customers`` to SVG
    (< 60 s); a generated 50-person account's map to SVG and PNG (< 3 s), and whether the
    PNG fits a 1,920 x 1,080 slide at a scale of at least 0.74; and, on the first account of
    ``--customers``, its coverage matrix (< 3 s), explorer page (< 3 s) and review pack as
    HTML (< 10 s) and PDF (< 20 s, a headless Chromium started each time). The heatmap and
    the PDF take a third of ``--runs``."""
    import io

    from PIL import Image

    import stakemap
    from stakemap.files.load import read_portfolio
    from stakemap.render import render
    from stakemap.render.explorer import explorer
    from stakemap.render.review import report

    few = max(1, args.runs // 3)
    results = []
    graph = stakemap.load_portfolio(portfolio_file(args.customers))
    accounts = len(graph.customers())
    seconds, runs, svg = _median(lambda: render(graph, as_of=AS_OF).pipe("svg"), few)
    found = re.search(rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    page = f", {float(found[1]):,.0f} x {float(found[2]):,.0f} pt" if found else ""
    results.append(Result(f"portfolio heatmap to SVG, {args.customers} customers", seconds, "s",
                          "< 60 s", seconds < 60,
                          f"{accounts:,} accounts; {_size(len(svg))} SVG{page}; "
                          f"runs {_runs(runs)}"))

    small = stakemap.StakeholderGraph.from_portfolio(
        read_portfolio(portfolio_file(1, people_per_customer=50)))
    one = next(c.id for c in small.customers())
    people = len(small.store.nodes("person", organization=one))
    seconds, runs, svg = _median(
        lambda: render(small, customer=one, as_of=AS_OF).pipe("svg"), args.runs)
    results.append(Result("50-person account map to SVG", seconds, "s", "< 3 s", seconds < 3,
                          f"{people} customer people; {len(svg) / 1024:.0f} KiB SVG; "
                          f"runs {_runs(runs)}"))
    seconds, runs, png = _median(
        lambda: render(small, customer=one, as_of=AS_OF).pipe("png"), args.runs)
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    results.append(Result("50-person account map to PNG", seconds, "s", "< 3 s", seconds < 3,
                          f"{width:,} x {height:,} px, {len(png) / 1024:.0f} KiB PNG; "
                          f"runs {_runs(runs)}"))
    scale = min(SLIDE[0] / width, SLIDE[1] / height)
    results.append(Result("50-person account map on a 1,920 x 1,080 slide", scale, "x",
                          f">= {SLIDE_SCALE:g}x", scale >= SLIDE_SCALE,
                          f"the PNG is {width:,} x {height:,} px; shown whole at "
                          f"{scale:.2f}x"))

    first = next(c.id for c in graph.customers())
    where = f"account {first} of {args.customers} customers"
    seconds, runs, svg = _median(
        lambda: render(graph, customer=first, view="coverage", as_of=AS_OF).pipe("svg"),
        args.runs)
    results.append(Result("coverage matrix of one account to SVG", seconds, "s", "< 3 s",
                          seconds < 3, f"{where}; {len(svg) / 1024:.0f} KiB SVG; "
                          f"runs {_runs(runs)}"))
    seconds, runs, page = _median(
        lambda: explorer(graph, customer=first, as_of=AS_OF).html, args.runs)
    results.append(Result("explorer page of one account", seconds, "s", "< 3 s", seconds < 3,
                          f"{where}; {len(page.encode()) / 1024:.0f} KiB HTML; "
                          f"runs {_runs(runs)}"))
    seconds, runs, page = _median(
        lambda: report(graph, customer=first, as_of=AS_OF).html(), args.runs)
    results.append(Result("review pack of one account, HTML", seconds, "s", "< 10 s",
                          seconds < 10, f"{where}; {len(page.encode()) / 1024:.0f} KiB; "
                          f"runs {_runs(runs)}"))
    seconds, runs, pdf = _median(lambda: report(graph, customer=first, as_of=AS_OF).pdf(), few)
    results.append(Result("review pack of one account, PDF", seconds, "s", "< 20 s",
                          seconds < 20, f"{where}; the HTML pack, then a headless Chromium "
                          f"started and printing it; {len(pdf) / 1024:.0f} KiB; "
                          f"runs {_runs(runs)}"))
    return results


def crm_export(companies: int, per_company: int) -> Path:
    """A Salesforce contacts report of ``companies`` x ``per_company`` contacts, every cell
    quoted, each contact reporting to an earlier one of its company (by name)."""
    path = DATA / f"crm-{companies}x{per_company}.csv"
    if path.exists():
        return path
    rng = random.Random(1)
    rows = ['"Contact ID","First Name","Last Name","Title","Account Name","Account ID",'
            '"Reports To","Email"']
    for a in range(companies):
        names: list[str] = []
        for i in range(per_company):
            boss = names[rng.randrange(len(names))] if names else ""
            first, last = f"F{i}", f"L{a}x{i}"
            names.append(f"{first} {last}")
            rows.append(f'"003{a:05d}{i:04d}","{first}","{last}","Title {i}","Account {a}",'
                        f'"001{a:05d}","{boss}","{first}.{last}@a{a}.example"')
    DATA.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def bench_crm(args: argparse.Namespace) -> list[Result]:
    """CRM import (issue 16): a 20,000-contact Salesforce export (400 companies of 50)
    imported into an empty portfolio, then the same export again into the result (every
    contact found again, nothing changed): each < 10 s, reading the CSV included."""
    from stakemap.crm import import_csv

    export = crm_export(400, 50)
    seconds, runs, first = _median(lambda: import_csv([export]), args.runs)
    results = [Result("CRM import, 20,000 contacts into an empty portfolio", seconds, "s",
                      "< 10 s", seconds < 10,
                      f"{len(first.changes):,} changes; runs {_runs(runs)}")]
    seconds, runs, again = _median(lambda: import_csv([export], into=first.portfolio),
                                   args.runs)
    results.append(Result("CRM re-import of the same 20,000 contacts", seconds, "s",
                          "< 10 s", seconds < 10 and not again.changes,
                          f"{len(again.changes)} changes (0 expected); runs {_runs(runs)}"))
    return results


def bench_export(args: argparse.Namespace) -> list[Result]:
    """Graph export (issue 16) of the ``--customers`` portfolio, in memory: each format
    written to a file (CSV tables into a zip), from the portfolio already read; < 60 s each,
    the budget of the other whole-portfolio pictures."""
    import tempfile

    import stakemap
    from stakemap.exports.formats import export_graph

    portfolio = stakemap.read_portfolio(portfolio_file(args.customers))
    rows = len(portfolio.nodes) + len(portfolio.edges)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for fmt, name in (("graphml", "g.graphml"), ("gexf", "g.gexf"), ("csv", "g.zip"),
                          ("cypher", "g.cypher")):
            path = Path(folder) / name
            seconds, runs, _ = _median(lambda p=path, f=fmt: export_graph(portfolio, p, f),
                                       max(1, args.runs // 3))
            results.append(Result(f"export to {fmt}, {args.customers} customers", seconds, "s",
                                  "< 60 s", seconds < 60,
                                  f"{rows:,} nodes and links; {_size(path.stat().st_size)}; "
                                  f"runs {_runs(runs)}"))
    return results


BENCHES: dict[str, Callable[[argparse.Namespace], list[Result]]] = {
    "load": bench_load, "misspelt": bench_misspelt, "memory-report": bench_memory_report,
    "memory-rss": bench_memory_rss,
    "neo4j-import": bench_neo4j_import, "neo4j-report": bench_neo4j_report,
    "diagram": bench_diagram, "overview": bench_overview, "help": bench_help,
    "scores": bench_scores, "social": bench_social, "keypeople": bench_keypeople,
    "pictures": bench_pictures, "crm": bench_crm, "export": bench_export,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=1000, help="1000 = L (default)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--misspelt", default="4000",
                        help="people (each with one misspelt id) in the 'misspelt' files, "
                             "comma-separated")
    parser.add_argument("--only", default="", help=f"comma-separated: {', '.join(SECTIONS)}")
    args = parser.parse_args(argv)
    wanted = [s for s in args.only.split(",") if s] or list(SECTIONS)
    unknown = set(wanted) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section {', '.join(sorted(unknown))}; use {', '.join(SECTIONS)}")
    print(f"# stakemap benchmarks, {date.today()}: {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {args.customers} customers, {args.runs} runs")
    results: list[Result] = []
    for name in wanted:
        print(f"## {name}", flush=True)
        for r in BENCHES[name](args):
            mark = "" if r.met is None else ("  MET" if r.met else "  MISSED")
            print(f"  {r.name}: {r.value:,.2f} {r.unit}{'  [' + r.target + ']' if r.target else ''}"
                  f"{mark}  {r.note}", flush=True)
            results.append(r)
    out = ROOT / "out" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n", encoding="utf-8")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"# wrote {out}; this process's peak RSS {peak:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
