"""Near-miss suggestions ("did you mean 'x'?") that stay fast over thousands of ids.

``difflib.get_close_matches`` compares the word with every candidate. That is fine for a role
or field name, but a portfolio file with thousands of misspelt references would compare each
of them with every id: quadratic, minutes for a few thousand people. ``SuggestionIndex`` is
built once per set of candidates and answers each word from a short list instead:

1. Every candidate is indexed by the bigrams of its padded text (``^ab$`` -> ``^a ab b$``),
   bucketed by length. Only lengths that can reach the cutoff at all are looked at: difflib's
   own bound, ``real_quick_ratio = 2 * min(len) / (sum of lens)``.
2. In each such length, the candidates sharing the most bigrams with the word are kept, then
   the best of those overall by the share of bigrams in common (Dice), so short ids are not
   crowded out by long ones that merely contain more bigrams. Bigrams that many ids of a
   length share (more than one in eight: ``^c`` in ``c1-2``, ``c3-14``, ...) would make that
   count a walk over nearly all of them, so they are only added to the candidates the rarer
   bigrams found, unless an id with nothing but common bigrams could still make the list
   (then all are counted, so the list is the same either way).
3. That short list is scored with difflib's exact ``ratio``, highest ``quick_ratio`` (an upper
   bound of ``ratio``) first, stopping once the bound falls below the best ratio found.

The answer is the one ``get_close_matches(word, candidates, n=1, cutoff=0.6)`` gives whenever
the best match is in the short list, ties included (difflib prefers the greatest string among
equal ratios, and so does this). The short list can miss among many near-identical short
ids (``c12-3``, ``c1-23``): the suggestion is then another id just as close (difflib would
have named the greater of the two), one slightly less close, or, for a heavily mangled
word, none. In tests on thousands of typos of name-like ids that was 1 in 9,000. Small
candidate sets skip the index and use difflib directly, so role names, field names and
codes get exactly difflib's answer.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import chain

__all__ = ["CUTOFF", "SuggestionIndex", "closest"]

CUTOFF = 0.6
"""How similar (difflib ratio) a candidate must be to be suggested."""

_SMALL = 200
"""Up to this many candidates, a plain difflib scan is as quick as the index: no index."""
_PER_LENGTH = 20
"""Candidates kept per candidate length, by bigrams shared with the word."""
_SHORTLIST = 40
"""Candidates scored with difflib's exact ratio, by share of bigrams in common."""
_COMMON_MIN = 64
_COMMON_SHARE = 8
"""A bigram is common in a length when more than this many ids, and more than this share
(1/8) of the ids of that length, have it."""
_PAD = "\x00"


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate difflib finds closest to ``word`` (ratio >= ``CUTOFF``), or None."""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=CUTOFF)
    return match[0] if match else None


def _bigrams(text: str) -> set[str]:
    padded = f"{_PAD}{text}{_PAD}"
    return {padded[i:i + 2] for i in range(len(padded) - 1)}


def _ratio(matches: int, length: int) -> float:
    """difflib's own formula (``difflib._calculate_ratio``), for identical bounds."""
    return 2.0 * matches / length if length else 1.0


class SuggestionIndex:
    """A fixed set of candidates, indexed once so that each lookup reads a short list.

    Build one per set of candidates and ask it many times; it does not see later changes.
    """

    def __init__(self, candidates: Iterable[str]) -> None:
        # sorted, so a larger position is a greater string: ties in the short list then go
        # the way difflib breaks ties in ratio
        self._candidates = sorted(set(candidates))
        self._memo: dict[str, str | None] = {}
        self._grams: list[int] = []
        self._by_length: dict[int, _Length] = {}
        if len(self._candidates) <= _SMALL:
            return
        by_length: defaultdict[int, defaultdict[str, list[int]]] = defaultdict(
            lambda: defaultdict(list))
        sizes: Counter[int] = Counter()
        for position, candidate in enumerate(self._candidates):
            grams = _bigrams(candidate)
            self._grams.append(len(grams))
            sizes[len(candidate)] += 1
            postings = by_length[len(candidate)]
            for gram in grams:
                postings[gram].append(position)
        self._by_length = {n: _Length(dict(postings), sizes[n])
                           for n, postings in sorted(by_length.items())}

    def __len__(self) -> int:
        return len(self._candidates)

    def closest(self, word: str) -> str | None:
        """The candidate closest to ``word`` with a ratio of at least ``CUTOFF``, or None."""
        if word not in self._memo:
            self._memo[word] = (self._lookup(word) if self._by_length
                                else closest(word, self._candidates))
        return self._memo[word]

    def _lookup(self, word: str) -> str | None:
        grams = _bigrams(word)
        pool: list[tuple[float, int]] = []
        for length, ids in self._by_length.items():
            if _ratio(min(len(word), length), len(word) + length) < CUTOFF:
                continue
            pool += [(shared / (len(grams) + self._grams[position]), position)
                     for shared, position in self._most_shared(ids, grams)]
        pool.sort(reverse=True)
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)  # as get_close_matches does: the word is seq2
        bounded: list[tuple[float, str]] = []
        for _, position in pool[:_SHORTLIST]:  # all of a length passing real_quick_ratio
            matcher.set_seq1(self._candidates[position])
            bound = matcher.quick_ratio()
            if bound >= CUTOFF:
                bounded.append((bound, self._candidates[position]))
        bounded.sort(reverse=True)
        best: tuple[float, str] | None = None
        for bound, candidate in bounded:
            if best is not None and bound < best[0]:
                break  # quick_ratio bounds ratio: nothing further down can beat the best
            matcher.set_seq1(candidate)
            score = matcher.ratio()
            if score >= CUTOFF and (best is None or (score, candidate) > best):
                best = (score, candidate)
        return best[1] if best else None

    def _most_shared(self, ids: _Length, grams: set[str]) -> list[tuple[int, int]]:
        """(shared bigrams, position) of the ``_PER_LENGTH`` ids of one length sharing the
        most bigrams with the word, greater strings first among equals."""
        span = len(self._candidates)
        common = [ids.common[g] for g in grams if g in ids.common]
        counts = Counter(chain.from_iterable(
            [ids.postings[g] for g in grams if g in ids.postings and g not in ids.common]))
        for members in common:
            counts.update(members.intersection(counts))
        # one int per candidate (shared bigrams, then position) sorts in C, and fast
        ranked = sorted([shared * span + position for position, shared in counts.items()])
        if common and (len(ranked) < _PER_LENGTH or ranked[-_PER_LENGTH] // span <= len(common)):
            # an id found by no rare bigram shares at most len(common): it could make the list
            counts = Counter(chain.from_iterable(
                [ids.postings[g] for g in grams if g in ids.postings]))
            ranked = sorted([shared * span + position for position, shared in counts.items()])
        return [divmod(key, span) for key in ranked[-_PER_LENGTH:]]


class _Length:
    """The bigram postings of the candidates of one length, common ones also as sets."""

    __slots__ = ("common", "postings")

    def __init__(self, postings: dict[str, list[int]], size: int) -> None:
        self.postings = postings
        self.common = {g: frozenset(ids) for g, ids in postings.items()
                       if len(ids) > _COMMON_MIN and len(ids) * _COMMON_SHARE > size}
