"""Who is who in a contract: the words that name the payer and the provider.

Risk often depends on who holds a right ("Plan may audit" versus "Provider may audit Plan"), so
rules can test a token's party role. Generic words ("Plan", "Provider", "Hospital") are known in
advance; each contract adds the aliases its preamble defines ("Summit", "the System", "we", "you").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

PAYER_WORDS = frozenset(
    ["plan", "company", "payer", "payor", "carrier", "mco", "hmo", "insurer", "issuer", "network"]
)
PROVIDER_WORDS = frozenset(
    [
        "provider",
        "providers",
        "hospital",
        "hospitals",
        "facility",
        "facilities",
        "group",
        "physician",
        "physicians",
        "practice",
        "laboratory",
        "lab",
        "center",
        "centre",
        "clinic",
        "system",
        "agency",
        "supplier",
    ]
)
QUOTED = re.compile(r"[\"“”']\s*([A-Za-z][A-Za-z .&'-]{0,40}?)\s*[,]?\s*[\"“”']")

if not Token.has_extension("party"):
    # "" rather than None so patterns can say {"_": {"party": {"NOT_IN": ["payer"]}}}.
    Token.set_extension("party", default="")


@dataclass(frozen=True)
class PartyWords:
    payer: frozenset[str] = PAYER_WORDS
    provider: frozenset[str] = PROVIDER_WORDS

    def with_aliases(self, payer: list[str], provider: list[str]) -> PartyWords:
        return PartyWords(
            self.payer | _alias_words(payer) - PROVIDER_WORDS,
            self.provider | _alias_words(provider) - PAYER_WORDS,
        )

    def tag(self, doc: Doc) -> None:
        for token in doc:
            low = token.lower_
            if low in self.provider:
                token._.party = "provider"
            elif low in self.payer:
                token._.party = "payer"


def _alias_words(aliases: list[str]) -> frozenset[str]:
    """The word a defined alias is referred to by: "the MA Organization" -> "organization",
    "we" -> "we"; pronoun aliases bring their other forms."""
    words: set[str] = set()
    for alias in aliases:
        parts = alias.lower().replace("the ", "").split()
        if not parts:
            continue
        words.add(parts[-1])
        if parts[-1] in {"we", "us", "our"}:
            words |= {"we", "us", "our"}
        if parts[-1] in {"you", "your"}:
            words |= {"you", "your"}
    return frozenset(words - {"agreement", "party", "parties"})


def quoted_aliases(parenthetical: str) -> list[str]:
    """All aliases a party's parenthetical defines: ("the Network", "we", "us" or "our")."""
    return [m.group(1).strip() for m in QUOTED.finditer(parenthetical)]
