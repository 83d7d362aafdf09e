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
PRODUCT_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("medicare_advantage", re.compile(r"medicare\s+advantage|\bMA(?:PD)?\s+(?:plans?|products?|HMO|PPO|members)|D-SNP|\bPart\s+C\b", re.I)),
    ("medicaid_managed_care", re.compile(r"medicaid|\bCHIP\b|managed\s+medical\s+assistance", re.I)),
    ("exchange", re.compile(r"\bexchange\b|marketplace|qualified\s+health\s+plan|individual\s+(?:and\s+family\s+)?(?:market|ACA)", re.I)),
    ("workers_comp", re.compile(r"workers['’]?\s*comp", re.I)),
    ("commercial_hmo", re.compile(r"\bHMO\b|health\s+maintenance\s+organization", re.I)),
    ("commercial_ppo", re.compile(r"\bPPO\b|preferred\s+provider\s+organization", re.I)),
    ("commercial_epo", re.compile(r"\bEPO\b|exclusive\s+provider\s+organization", re.I)),
    ("commercial_pos", re.compile(r"\bPOS\b(?!\s*(?:code|\d))|point[- ]of[- ]service\s+(?:product|plan|program)", re.I)),
)
# A product counts only where the text says the provider takes part in it.
PARTICIPATION = re.compile(
    r"participat|\bproducts?\b|\bnetworks?\b|enrolled\s+in|lines?\s+of\s+business|"
    r"benefit\s+plans?|applies\s+to|apply\s+to|members\s+of|coverage\s+under|programs?\b",
    re.IGNORECASE,
)
NOT_PARTICIPATION = re.compile(
    r"eligible\s+for|dually|certificat|centers\s+for|excluded|exclusion|sanction|debar|"
    r"federal\s+health\s+care\s+program|fraud|does\s+not\s+(?:apply|include)|other\s+than|"
    r"not\s+(?:a\s+)?participat|licensed\s+as|regulat|Medicare\s+(?:and|or)\s+Medicaid",
    re.IGNORECASE,
)
MA_PREFIX = re.compile(r"medicare\s+advantage\s*$|\bMA\s*$", re.IGNORECASE)


def read_key_terms(document: Document) -> ContractTerms:
    text = document.text
    head = text[:6000]
    payer, provider = _parties(head)
    effective = _effective_date(text)
    months = _initial_term_months(text)
    expiration = _expiration_date(text)
    if expiration is None and effective is not None and months:
        expiration = effective + relativedelta(months=months) - relativedelta(days=1)
    if months is None and effective is not None and expiration is not None:
        span = relativedelta(expiration + relativedelta(days=1), effective)
        if span.days == 0 and span.years * 12 + span.months > 0:
            months = span.years * 12 + span.months
    return ContractTerms(
        title=_title(document),
        payer=payer,
        provider=provider,
        effective_date=effective,
        expiration_date=expiration,
        initial_term_months=months,
        product_lines=_product_lines(document),
    )


TITLE_CUT = re.compile(
    r"^(.{3,100}?\b(?:AGREEMENT|CONTRACT|AMENDMENT|ADDENDUM)(?:\s+(?:NO\.|NUMBER)\s*\d+)?)(?=\W|$)",
    re.IGNORECASE,
)


def _title(document: Document) -> str | None:
    """The agreement's name as printed at the top of page 1: the first heading-like block
    (large type or capitals) that names an agreement, contract or amendment."""
    first_page = [b for b in document.blocks if b.page == 1][:6]
    sizes = sorted(b.font_size for b in document.blocks) or [0.0]
    body = sizes[len(sizes) // 2]
    for block in first_page:
        line = " ".join(block.text.split())
        prominent = block.kind is BlockKind.HEADING or block.font_size >= 1.2 * body
        m = TITLE_CUT.match(line)
        if prominent and m and not re.match(r"(?i)this\b", line):
            return m.group(1).strip()
    return None


AliasMatch = tuple[int, int, str]
ALIAS_IN_PARENS = re.compile(
    r"\(\s*(?:the\s+|each\s+a\s+|hereinafter\s+(?:referred\s+to\s+as\s+|called\s+)?|"
    r"referred\s+to\s+(?:herein\s+)?as\s+)?[\"“”']([A-Za-z][A-Za-z .&'-]{0,40}?)[\"“”']\s*\)"
)
NOT_PARTY_ALIASES = re.compile(
    r"^(agreement|amendment|effective\s+date|contract|addendum|attachment|exhibit|term|"
    r"initial\s+term|parties|party|recitals?)$",
    re.IGNORECASE,
)
NAME_SUFFIXES = {"inc.", "inc", "llc", "l.l.c.", "ltd.", "lp", "l.p.", "llp", "pc", "p.c.",
                 "s.c.", "pllc", "corp.", "co.", "n.a.", "pa", "p.a."}
CONNECTORS = {"of", "and", "&", "the", "de", "for", "at"}


def _parties(head: str) -> tuple[str | None, str | None]:
    """Payer and provider from the preamble's defined party names ("... ("Plan") and ...")."""
    found: list[tuple[str | None, str]] = []
    for m in ALIAS_IN_PARENS.finditer(head):
        alias = m.group(1).strip()
        if NOT_PARTY_ALIASES.match(alias):
            continue
        found.append((_name_before(head, m.start()), alias))
        if len(found) == 2:
            break
    if len(found) < 2:
        return None, None
    (a, a_alias), (b, b_alias) = found
    if _is_payer(b_alias, b) and not _is_payer(a_alias, a):
        return b, a
    return a, b


def _name_before(text: str, end: int) -> str | None:
    """Walk back from an alias over the capitalised words of a legal name, past its
    descriptor (", a Washington nonprofit corporation")."""
    window = text[max(0, end - 300) : end]
    window = re.split(r"[\n;]|\)\s*,?", window)[-1]
    window = re.split(r",\s+(?:a|an)\s+(?=[A-Z]|[a-z]+\s)", window)[0]
    tokens = window.replace(",", " , ").split()
    name: list[str] = []
    for tok in reversed(tokens):
        low = tok.lower()
        if tok == ",":
            if name and name[0].lower() in NAME_SUFFIXES:
                name.insert(0, tok)
                continue
            break
        if tok[:1].isupper() or tok[:1].isdigit() or low in NAME_SUFFIXES or tok[:1] == "[" or (low in CONNECTORS and name):
            name.insert(0, tok)
        else:
            break
    while name and name[0].lower() in CONNECTORS | {","}:
        name.pop(0)
    if name and name[0] in {"This", "THIS", "By", "Between", "BETWEEN"}:
        name.pop(0)
    cleaned = " ".join(name).replace(" , ", ", ").strip(" ,")
    return _clean_name(cleaned) if cleaned else None


def _clean_name(raw: str) -> str | None:
    name = " ".join(raw.split()).strip(" ,;:\"“”")
    if not name or "redacted" in name.lower() or not re.search(r"[A-Za-z]{2}", name):
        return None  # redacted: a blank or a marker where the name was
    if re.fullmatch(r"[_\s.*\[\]-]+", name):
        return None
    return name


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


EFFECTIVE_CUES = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"effective\s+(?:as\s+of\s+|on\s+)?(?=[A-Z0-9]|the\s+\d)",
        r"takes?\s+effect\s+(?:on|as\s+of)",
        r"\bas\s+of\b",
        r"entered\s+into\s+(?:on|this)|made\s+(?:and\s+entered\s+into\s+)?(?:on|this)",
        r"\bdated\b",
    )
)


def _effective_date(text: str) -> date | None:
    head = text[:20000]
    for cue in EFFECTIVE_CUES:
        for m in cue.finditer(head):
            window = head[m.end() : m.end() + 60]
            dates = [e for e in find_entities(window) if e.label == "DATE" and e.start < 12]
            if dates and isinstance(dates[0].value, date):
                return dates[0].value
    return None


TERM_CUE = re.compile(
    r"\binitial\s+term\b|\bterm\s+of\s+this\s+(?:agreement|amendment)\b|"
    r"\bfor\s+a\s+(?:term|period)\s+of\b|\bterm\s+of\b|\bin\s+effect\s+for\b|"
    r"\bterm\s+(?:begins|commences|shall\s+begin|shall\s+commence)|takes?\s+effect|"
    r"shall\s+be\s+effective|remain\s+in\s+effect",
    re.IGNORECASE,
)


def _initial_term_months(text: str) -> int | None:
    for sentence in _sentences_with(text, TERM_CUE, limit=20):
        cue = TERM_CUE.search(sentence)
        if cue is None or re.search(
            r"recredential|license|insurance|retain|retention|maintain|records|rates?\b|amounts",
            sentence,
            re.I,
        ):
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
    for block in document.blocks:
        for sentence in re.split(r"(?<=[.;])\s+", block.text):
            if not PARTICIPATION.search(sentence) or NOT_PARTICIPATION.search(sentence):
                continue
            for product, pattern in PRODUCT_PHRASES:
                for m in pattern.finditer(sentence):
                    # "Medicare Advantage HMO" is an MA product, not a commercial HMO.
                    if product.startswith("commercial") and MA_PREFIX.search(
                        sentence[max(0, m.start() - 40) : m.start()]
                    ):
                        continue
                    found.add(product)
                    break
    order = [p for p, _ in PRODUCT_PHRASES]
    return tuple(sorted(found, key=order.index))
