"""Key terms of a contract: title, parties, dates, initial term and product lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from extractor.model import BlockKind, ContractTerms, Document
from extractor.nlp.entities import Duration, find_entities
from extractor.parties import quoted_aliases

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
    (
        "medicare_advantage",
        re.compile(
            r"medicare\s+advantage|\bMA(?:PD)?\s+(?:plans?|products?|HMO|PPO|members)|D-SNP|\bPart\s+C\b",
            re.I,
        ),
    ),
    (
        "medicaid_managed_care",
        re.compile(r"medicaid|\bCHIP\b|managed\s+medical\s+assistance", re.I),
    ),
    (
        "exchange",
        re.compile(
            r"\bexchange\b|marketplace|qualified\s+health\s+plan|individual\s+(?:and\s+family\s+)?(?:market|ACA)",
            re.I,
        ),
    ),
    ("workers_comp", re.compile(r"workers['’]?\s*comp", re.I)),
    ("commercial_hmo", re.compile(r"\bHMO\b|health\s+maintenance\s+organization", re.I)),
    (
        "commercial_ppo",
        re.compile(r"\bPPO\b|preferred\s+provider\s+(?:organization|network)", re.I),
    ),
    (
        "commercial_epo",
        re.compile(r"\bEPO\b|exclusive\s+provider\s+(?:organization|network)", re.I),
    ),
    (
        "commercial_pos",
        re.compile(
            r"\bPOS\b(?!\s*(?:code|\d))|point[- ]of[- ]service\s+(?:product|plan|program)", re.I
        ),
    ),
)
# A product counts only where the text says the provider takes part in it.
PARTICIPATION = re.compile(
    r"participat|\bproducts?\b|\bnetworks?\b|enrolled\s+in|lines?\s+of\s+business|"
    r"benefit\s+plans?|applies\s+to|apply\s+to|members\s+of|coverage\s+under|programs?\b",
    re.IGNORECASE,
)
NOT_PARTICIPATION = re.compile(
    r"eligible\s+for|\bdual|certificat|medicaid\s+agency|medicaid-covered|medicaid\s+program\s+is|centers\s+for|excluded|exclusion|sanction|debar|"
    r"federal\s+health\s+care\s+program|fraud|does\s+not\s+(?:apply|include)|other\s+than|"
    r"not\s+(?:a\s+)?participat|licensed\s+as|regulat|Medicare\s+(?:and|or)\s+Medicaid",
    re.IGNORECASE,
)
MA_PREFIX = re.compile(r"medicare\s+advantage\s*$|\bMA\s*$", re.IGNORECASE)


def read_key_terms(document: Document) -> ContractTerms:
    text = document.text
    head = text[:6000]
    parties = read_parties(head)
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
        payer=parties.payer,
        provider=parties.provider,
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
    for i, block in enumerate(first_page):
        line = " ".join(block.text.split())
        prominent = block.kind is BlockKind.HEADING or block.font_size >= 1.2 * body
        if not prominent or re.match(r"(?i)this\b", line):
            continue
        if line.isupper():
            # A capitalised title set over two or three lines arrives as consecutive headings.
            parts = [line]
            for nxt in first_page[i + 1 : i + 3]:
                text = " ".join(nxt.text.split())
                if nxt.kind is not BlockKind.HEADING or not text.isupper():
                    break
                parts.append(text)
            joined = " ".join(parts)
            last = list(TITLE_WORDS.finditer(joined))
            if last:
                return joined[: last[-1].end()].strip()
        m = TITLE_CUT.match(line)
        if m:
            return m.group(1).strip()
    return None


ALIAS_IN_PARENS = re.compile(r"\(([^()]{0,160}?[\"“”'][^()]{0,160}?)\)")
NOT_PARTY_ALIASES = re.compile(
    r"^(agreement|amendment|effective\s+date|amendment\s+effective\s+date|contract|addendum|"
    r"attachment|exhibit|term|initial\s+term|parties|party|recitals?|cms|hhs|state|"
    r"department|agency|secretary|clients?|members?|enrollees?)$",
    re.IGNORECASE,
)
NOT_PARTY_NAMES = re.compile(r"centers\s+for\s+medicare|department\s+of|secretary", re.I)
PARTY_START = re.compile(r"(?:\bbetween|\bby|\band|\bwith|^)\s+(?=[A-Z\[_])")
NAME_END = re.compile(
    r",\s+(?:an?|acting|which|that|on\s+behalf|together|for\s+itself|doing\s+business|"
    r"having|whose|with)\b|\s+\((?!\s*[\"“”'])"
)


@dataclass(frozen=True)
class Parties:
    payer: str | None
    provider: str | None
    payer_aliases: tuple[str, ...]
    provider_aliases: tuple[str, ...]


def read_parties(head: str) -> Parties:
    """Payer and provider from the preamble's defined party names ("... ("Plan") and ...")."""
    found: list[tuple[str | None, list[str]]] = []
    for m in ALIAS_IN_PARENS.finditer(head):
        if re.match(r"\s*(?:each|any|all)\b", m.group(1), re.IGNORECASE):
            continue  # "(each a "Payor")" defines a class of others, not a party
        aliases = [a for a in quoted_aliases(m.group(1)) if not NOT_PARTY_ALIASES.match(a)]
        if not aliases:
            continue
        name = _name_before(head, m.start())
        if name and NOT_PARTY_NAMES.search(name):
            continue
        found.append((name, aliases))
        if len(found) == 2:
            break
    if len(found) < 2:
        return Parties(None, None, (), ())
    (a, a_aliases), (b, b_aliases) = found
    if _is_payer(b_aliases[0], b) and not _is_payer(a_aliases[0], a):
        a, a_aliases, b, b_aliases = b, b_aliases, a, a_aliases
    return Parties(a, b, tuple(a_aliases), tuple(b_aliases))


def _name_before(text: str, end: int) -> str | None:
    """The legal name standing before an alias: after the last "between/by/and" that starts a
    capitalised name, up to its descriptor (", a Washington nonprofit corporation")."""
    window = text[max(0, end - 400) : end]
    window = re.split(r"[\n;]|\)\s*,?", window)[-1]
    starts = [m.end() for m in PARTY_START.finditer(window)]
    segment = window[starts[-1] :] if starts else window
    segment = NAME_END.split(segment, maxsplit=1)[0]
    segment = re.sub(r"^(?:the\s+)?", "", segment.strip(), flags=re.IGNORECASE)
    return _clean_name(segment)


def _clean_name(raw: str) -> str | None:
    name = " ".join(raw.split()).strip(' ,;:"“”')
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
        r"effective\s+(?:as\s+of\s+|on\s+)?(?=[A-Z0-9]|the\s+\d)|effective\s+date\s*[:\-–—]",
        r"takes?\s+effect\s+(?:on|as\s+of)|(?:starts|begins|commences)\s+on",
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
    r"shall\s+be\s+effective|remain\s+in\s+effect|\bruns\s+for\b|\bin\s+force\s+for\b|"
    r"\bfirst\s+term\b|\binitial\s+period\b",
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
            value = ent.value
            near = ent.start >= cue.start() and ent.start - cue.end() < 80
            if near and isinstance(value, Duration) and value.unit == "months":
                return value.amount
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


def products_in(text: str) -> set[str]:
    """Product lines a short text names ("Commercial HMO/PPO Compensation Schedule")."""
    found = set()
    for product, pattern in PRODUCT_PHRASES:
        for m in pattern.finditer(text):
            prefix = text[max(0, m.start() - 40) : m.start()]
            if product.startswith("commercial") and MA_PREFIX.search(prefix):
                continue
            found.add(product)
            break
    return found


def _product_lines(document: Document) -> tuple[str, ...]:
    found: set[str] = set()
    for block in document.blocks:
        for sentence in re.split(r"(?<=[.])\s+", block.text):
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
