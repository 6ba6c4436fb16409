"""Plausible, clearly fictional Dutch organisation names for generated providers and consortia.

A name is a legal or sector form ("Stichting", "Jeugdzorg", ...) and an invented stem made of two
syllable-like parts ("Linde" + "waard"), so that a report reads like a real tender without naming
a real organisation. Names are drawn from their own seeded stream: adding them changed no other
draw of a generated region, and the same seed gives the same names.
"""

from __future__ import annotations

import numpy as np

FORMS = (
    "Stichting",
    "Jeugdzorg",
    "Zorggroep",
    "Praktijk",
    "Jeugdhulp",
    "Gezinshuis",
    "Behandelcentrum",
    "Coöperatie",
    "Vereniging",
    "Zorgcentrum",
)
STARTS = (
    "Linde", "Eiken", "Berken", "Wilgen", "Hazel", "Veld", "Bos", "Hoog", "Laag", "Oost",
    "West", "Noord", "Zuid", "Molen", "Brug", "Duin", "Heide", "Kamp", "Water", "Zonne",
    "Klaver", "Rozen", "Beuken", "Essen", "Hof", "Dijk", "Horst", "Kreek", "Meer", "Vlinder",
)  # fmt: skip
ENDS = (
    "waard", "hof", "stede", "hoeve", "kamp", "horst", "lo", "veen", "brink", "haven",
    "zicht", "rand", "beek", "donk", "hage", "wijk", "dal", "oord", "vaart", "stein",
)  # fmt: skip
SUFFIXES = ("", "", "", " Jeugd & Gezin", " Ambulant", " Oost", " Noord")
# A consortium (SPEC §1) is a combination of bidders: "Samenwerkingsverband" and its lead's stem.
CONSORTIUM = "Samenwerkingsverband {stem}"


def organisation_names(count: int, seed: int) -> tuple[list[str], list[str]]:
    """`count` distinct names and their stems (for a consortium led by that provider).

    Up to 6,000 stems (30 × 20 × 10 forms) are distinct by construction; beyond that a number
    keeps them apart ("Stichting Lindewaard 2").
    """
    rng = np.random.default_rng([seed, 2])
    stems = [s + e for s in STARTS for e in ENDS]
    pairs = [(f, s) for f in range(len(FORMS)) for s in range(len(stems))]
    order = rng.permutation(len(pairs))
    names, stem_of = [], []
    seen: dict[str, int] = {}
    for k in range(count):
        form, stem = pairs[order[k % len(pairs)]]
        base = f"{FORMS[form]} {stems[stem]}{SUFFIXES[int(rng.integers(len(SUFFIXES)))]}"
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base} {seen[base]}")
        stem_of.append(stems[stem])
    return names, stem_of


def consortium_names(lead_stems: list[str]) -> list[str]:
    """Each consortium's name from its lead provider's stem; a number keeps repeats apart."""
    seen: dict[str, int] = {}
    names = []
    for stem in lead_stems:
        base = CONSORTIUM.format(stem=stem)
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base} {seen[base]}")
    return names
