"""Key terms of a contract: title, parties, effective and expiration dates, initial term, products."""

from __future__ import annotations

import re
from datetime import date

from dateutil.relativedelta import relativedelta

from extractor.model import BlockKind, ContractTerms, Document
from extractor.nlp.entities import find_entities

PAYER_ALIASES = re.compile(
    r"^(?:the\s+)?(plan|health\s*plan|company|payer|payor|carrier|mco|hmo|insurer|"
    r"contractor|health\s*maintenance\s*organization|managed\s*care\s*organization|issuer)$",
    re.IGNORECASE,
)
PAYER_NAME_CUES = re.compile(
    r"health\s*plan|insurance|assurance|hmo\b|health\s*(?:care\s*)?(?:network|partners)|"
    r"managed\s*care|mutual|blue\s*(?:cross|shield)|health\s*maintenance",
    re.IGNORECASE,
)
TITLE_WORDS = re.compile(r"\b(AGREEMENT|CONTRACT|AMENDMENT|ADDENDUM)\b", re.IGNORECASE)
PARTIES = re.compile(
    r"\bbetween\s+(?P<a>.{3,200}?)\s*\((?P<a_alias>[^()]{0,120}?)\)\s*,?\s*(?:and|&)\s+"
    r"(?P<b>.{3,200}?)\s*\((?P<b_alias>[^()]{0,120}?)\)",
    re.IGNORECASE | re.DOTALL,
)
ALIAS = re.compile(r"[\"“”']\s*([A-Za-z][A-Za-z .&-]{0,40}?)\s*[\"“”']")

PRODUCT_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("medicare_advantage", re.compile(r"medicare\s+advantage|\bMA(?:PD)?\s+(?:plan|product|HMO|PPO)|D-SNP|Part\s+C\b", re.I)),
    ("medicaid_managed_care", re.compile(r"medicaid|\bCHIP\b|managed\s+medical\s+assistance", re.I)),
    ("exchange", re.compile(r"\bexchange\b|marketplace|qualified\s+health\s+plan|individual\s+(?:and\s+family\s+)?(?:market|ACA)", re.I)),
    ("workers_comp", re.compile(r"workers['’]?\s*comp", re.I)),
    ("commercial_hmo", re.compile(r"commercial\s+HMO|\bHMO\s+(?:product|plan|network|benefit)s?\b|\bHMO(?=[,/ ]+(?:PPO|POS|EPO))|(?<=PPO[,/ ])\s*HMO", re.I)),
    ("commercial_ppo", re.compile(r"commercial\s+PPO|\bPPO\s+(?:product|plan|network|benefit)s?\b|(?:HMO|EPO|POS)[,/ and]+PPO\b|\bPPO(?=[,/ ]+(?:HMO|POS|EPO))", re.I)),
    ("commercial_epo", re.compile(r"\bEPO\b|exclusive\s+provider\s+organization", re.I)),
    ("commercial_pos", re.compile(r"\bPOS\s+(?:product|plan)s?\b|point[- ]of[- ]service\s+(?:product|plan)", re.I)),
)
NEGATED = re.compile(
    r"\b(?:not|excluding|excludes?|except|other\s+than|neither|nor)\b", re.IGNORECASE
)


def read_key_terms(document: Document) -> ContractTerms:
    text = document.text
    head = text[:6000]
    payer, provider = _parties(head)
    effective = _effective_date(text)
    months = _initial_term_months(text)
    expiration = _expiration_date(text)
    if expiration is None and effective is not None and months:
        expiration = effective + relativedelta(months=months) - relativedelta(days=1)
    return ContractTerms(
        title=_title(document),
        payer=payer,
        provider=provider,
        effective_date=effective,
        expiration_date=expiration,
        initial_term_months=months,
        product_lines=_product_lines(document),
    )


def _title(document: Document) -> str | None:
    first_page = [b for b in document.blocks if b.page == 1][:8]
    for block in first_page:
        line = block.text.split("\n")[0].strip()
        if block.kind is BlockKind.HEADING and TITLE_WORDS.search(line) and len(line) < 100:
            return " ".join(line.split())
    for block in first_page:
        if block.kind is BlockKind.HEADING:
            return " ".join(block.text.split())[:100]
    return None


def _clean_name(raw: str) -> str | None:
    name = " ".join(raw.split())
    name = re.split(r",\s+(?:a|an)\s+(?=[A-Z]|[a-z]+ )", name)[0]
    name = re.sub(r"^(?:the\s+)?(?:undersigned\s+)?", "", name, flags=re.IGNORECASE)
    name = name.strip(" ,;:\"“”")
    if not name or len(name) < 3 or not re.search(r"[A-Za-z]{2}", name):
        return None  # redacted: a blank where the name was
    return name


def _parties(head: str) -> tuple[str | None, str | None]:
    m = PARTIES.search(head)
    if not m:
        return None, None
    a, b = _clean_name(m.group("a")), _clean_name(m.group("b"))
    a_alias = _alias(m.group("a_alias"))
    b_alias = _alias(m.group("b_alias"))
    a_is_payer = _is_payer(a_alias, a)
    b_is_payer = _is_payer(b_alias, b)
    if b_is_payer and not a_is_payer:
        return b, a
    return a, b


def _alias(text: str) -> str:
    m = ALIAS.search(text)
    return m.group(1).strip() if m else text.strip()


def _is_payer(alias: str, name: str | None) -> bool:
    if PAYER_ALIASES.match(alias.strip()):
        return True
    return bool(name and PAYER_NAME_CUES.search(name))


def _sentences_with(text: str, cue: re.Pattern[str], limit: int = 40) -> list[str]:
    out = []
    for m in cue.finditer(text):
        start = max(text.rfind(". ", 0, m.start()) + 2, text.rfind("\n\n", 0, m.start()) + 2, 0)
        end_dot = text.find(". ", m.end())
        end = len(text) if end_dot == -1 else end_dot + 1
        out.append(text[start : min(end, start + 600)])
        if len(out) >= limit:
            break
    return out


EFFECTIVE_CUE = re.compile(
    r"effective\s+(?:as\s+of|on|date)|entered\s+into\s+(?:as\s+of|on|this)|dated\s+as\s+of|"
    r"made\s+and\s+entered|(?:is\s+)?made\s+(?:as\s+of|this)",
    re.IGNORECASE,
)


def _effective_date(text: str) -> date | None:
    for sentence in _sentences_with(text[:20000], EFFECTIVE_CUE, limit=10):
        dates = [e for e in find_entities(sentence) if e.label == "DATE"]
        cue = EFFECTIVE_CUE.search(sentence)
        if not dates or cue is None:
            continue
        after = [e for e in dates if e.start >= cue.start()]
        chosen = (after or dates)[0]
        if isinstance(chosen.value, date):
            return chosen.value
    return None


TERM_CUE = re.compile(
    r"\binitial\s+term\b|\bterm\s+of\s+this\s+agreement\b|\bfor\s+a\s+(?:term|period)\s+of\b|"
    r"\bterm\s+of\b",
    re.IGNORECASE,
)


def _initial_term_months(text: str) -> int | None:
    for sentence in _sentences_with(text, TERM_CUE, limit=20):
        cue = TERM_CUE.search(sentence)
        if cue is None or re.search(r"recredential|license|insurance|retain", sentence, re.I):
            continue
        for ent in find_entities(sentence):
            if ent.label == "DURATION" and ent.start >= cue.start() and ent.start - cue.end() < 80:
                if getattr(ent.value, "unit", None) == "months":
                    return int(ent.value.amount)
    return None


EXPIRY_CUE = re.compile(
    r"(?:expire|terminate|end|continue)s?\s+(?:at\s+11:59\s*p\.?m\.?\s+)?(?:on|through|until)\b|"
    r"\bthrough\b|\bexpiration\s+date\b",
    re.IGNORECASE,
)


def _expiration_date(text: str) -> date | None:
    for sentence in _sentences_with(text, TERM_CUE, limit=20):
        if re.search(r"\brates?\b|exhibit|fee schedule", sentence, re.I):
            continue
        cue = EXPIRY_CUE.search(sentence)
        if cue is None:
            continue
        for ent in find_entities(sentence):
            if ent.label == "DATE" and ent.start >= cue.start() and isinstance(ent.value, date):
                return ent.value
    return None


def _product_lines(document: Document) -> tuple[str, ...]:
    found: set[str] = set()
    text = document.text
    for product, pattern in PRODUCT_PHRASES:
        for m in pattern.finditer(text):
            start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start()), 0)
            window = text[start : m.start()]
            if NEGATED.search(window[-80:]):
                continue
            found.add(product)
            break
    order = [p for p, _ in PRODUCT_PHRASES]
    return tuple(sorted(found, key=order.index))
