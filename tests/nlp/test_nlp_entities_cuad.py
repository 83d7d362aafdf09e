"""DURATION on real contract sentences.

Sentences are quoted from CUAD v1 (The Atticus Project, CC BY 4.0;
/work/shared/data/cuad/full_contract_txt/<file>), copied here so the suite does not depend on the
shared data folder. Each expectation was checked by hand against the sentence.
"""

from __future__ import annotations

from typing import Literal

import pytest

from extractor.nlp.entities import Duration, find_entities

D: Literal["days"] = "days"
M: Literal["months"] = "months"

CUAD_DURATIONS: list[tuple[str, str, list[tuple[str, Duration]]]] = [
    (
        "ABILITYINC_06_15_2020-EX-4.25-SERVICES AGREEMENT.txt",
        "Each of the Recipient and the Provider may, in their sole discretion, terminate this "
        "Agreement in whole or in part, at any time without cause, and without liability except, "
        "in the case of the Recipient, for required payment for services rendered and "
        "reimbursement for authorized expenses incurred, by providing at least 90 (ninety) days' "
        'prior written notice to the other party (such date, the "Services Termination Date").',
        [("90 (ninety) days'", Duration(90, D))],
    ),
    (
        "ADAPTIMMUNETHERAPEUTICSPLC_04_06_2017-EX-10.11-STRATEGIC ALLIANCE AGREEMENT.txt",
        "Prior to any disposal of such Study Records, MD Anderson shall give Adaptimmune thirty "
        "(30) days' prior written notice thereof to allow Adaptimmune the opportunity to request "
        "in writing, within such time frame, that MD Anderson continue to store such Study Records "
        "at Adaptimmune's expense.",
        [("thirty (30) days'", Duration(30, D))],
    ),
    (
        "2ThemartComInc_19990826_10-12G_EX-10.10_6700288_EX-10.10_Co-Branding Agreement_ "
        "Agency Agreement.txt",
        "This Agreement may be renewed for any number of successive one (1) year terms by mutual "
        "written agreement of the parties prior to the conclusion of the term of this Agreement.",
        [("one (1) year", Duration(12, M))],
    ),
    (
        "NATIONALPROCESSINGINC_07_18_1996-EX-10.4-SPONSORSHIP AGREEMENT.txt",
        "This Agreement shall automatically renew for successive one-year terms unless one party "
        "gives the other party written notice of non-renewal at least six months prior to "
        "automatic renewal.",
        [("one-year", Duration(12, M)), ("six months", Duration(6, M))],
    ),
    (
        "BloomEnergyCorp_20180321_DRSA (on S-1)_EX-10_11240356_EX-10_Maintenance Agreement.txt",
        "(iii) a Force Majeure Event occurs which prevents Operator from performing its material "
        "obligations under this Agreement for a continuous period of at least one hundred eighty "
        "(180) days and Owner reasonably concludes such prevention is not reasonably likely to be "
        "remedied within a further period of one hundred eighty (180) days.",
        [
            ("one hundred eighty (180) days", Duration(180, D)),
            ("one hundred eighty (180) days", Duration(180, D)),
        ],
    ),
    (
        "CHANGEPOINTCORP_03_08_2000-EX-10.6-LICENSE AND HOSTING AGREEMENT.txt",
        "In the event any payment by Corio under this Agreement is not          made within thirty "
        "(30) calendar days of its due date, interest on any          such unpaid amount shall "
        "accrue at a rate of eighteen percent (18%) per          annum, or the maximum amount "
        "permitted by law, whichever is less.",
        [("thirty (30) calendar days", Duration(30, D, "calendar"))],
    ),
    (
        "Array BioPharma Inc. - LICENSE, DEVELOPMENT AND COMMERCIALIZATION AGREEMENT.txt",
        "Ono shall pay to Array a license fee equal to Three Billion Five Hundred Million Japanese "
        "Yen (¥3,500,000,000), on or before the date that is ten (10) Business Days after the "
        "receipt by Ono of invoice for such license fee and the taxation documents expressly "
        "described in Section 7.",
        [("ten (10) Business Days", Duration(10, D, "business"))],
    ),
    (
        "CCAINDUSTRIESINC_04_14_2014-EX-10.1-OUTSOURCING AGREEMENT.txt",
        "(d) Either party hereto may terminate this Agreement after the Initial Period upon at "
        "least six (6) months' prior written notice to the other party thereof.",
        [("six (6) months'", Duration(6, M))],
    ),
    (
        "MEDIWOUNDLTD_01_15_2014-EX-10.6-SUPPLY AGREEMENT.txt",
        "If appropriate, pursuant to such investigation and/or consultant's determination, CBC "
        "shall replace the non-complying Bromelain SP within 30 (thirty) days thereafter, free of "
        "cost (including transportation, duty, handling and insurance costs).",
        [("30 (thirty) days", Duration(30, D))],
    ),
    (
        "KINGPHARMACEUTICALSINC_08_09_2006-EX-10.1-PROMOTION AGREEMENT.txt",
        "During such 90-day period, King will be entitled to review the Depomed Physician List and "
        "confirm that such list does not contain any Professionals that are not, as of the date of "
        "King's receipt of the Depomed Physician List, eligible for inclusion on the Depomed "
        "Physician List.",
        [("90-day", Duration(90, D))],
    ),
    (
        "VAPOTHERM, INC. - Manufacturing and Supply Agreement.txt",
        "All rights and obligation decay after 2 (two) years from termination or expiration.",
        [("2 (two) years", Duration(24, M))],
    ),
    (
        "VIOLINMEMORYINC_12_12_2012-EX-10.14-SPONSORSHIP AGREEMENT.txt",
        "In the event of a suspension or any obligation by reason of this Section 13(h) which "
        "extends beyond one-hundred-and-eighty (180) days, this Agreement shall be tolled.",
        [("one-hundred-and-eighty (180) days", Duration(180, D))],
    ),
    (
        "NEOMEDIATECHNOLOGIESINC_12_15_2005-EX-16.1-DISTRIBUTOR AGREEMENT.txt",
        "To this          end, if both parties wish to renew this Agreement, the parties shall "
        "         agree on such intention in writing at least thirty(30) days before the          "
        "expiry of the current Term of the Agreement.",
        [("thirty(30) days", Duration(30, D))],
    ),
    (
        "MPLXLP_06_17_2015-EX-10.1-TRANSPORTATION SERVICES AGREEMENT.txt",
        '"Quarterly Volume Commitment" means Shipper\'s commitment to ship, or otherwise pay for, '
        "each Contract Year of the fifteen (15) year term of this Agreement, at posted Pipeline "
        "Tariff Rates as set forth in Exhibit B, which equals a total annual Product volume as "
        "determined from Exhibit C.",
        [("fifteen (15) year", Duration(180, M))],
    ),
    (
        "AIRSPANNETWORKSINC_04_11_2000-EX-10.5-Distributor Agreement.txt",
        "  The parties agree that the Contract Price in Schedule IV shall be      firm for a "
        "minimum period of twenty-four (24) months from the Effective      Date.",
        [("twenty-four (24) months", Duration(24, M))],
    ),
    (
        "FerroglobePlc_20150624_F-4A_EX-10.20_9154746_EX-10.20_Outsourcing Agreement.txt",
        "If there is a repeated interruption, by EIT, of the services convened in this Agreement, "
        "for a period of four working days.",
        [("four working days", Duration(4, D, "business"))],
    ),
]


@pytest.mark.parametrize(
    ("source", "sentence", "expected"),
    CUAD_DURATIONS,
    ids=[source.split("-")[0][:40] for source, _, _ in CUAD_DURATIONS],
)
def test_cuad_durations(source: str, sentence: str, expected: list[tuple[str, Duration]]) -> None:
    found = [(e.text, e.value) for e in find_entities(sentence) if e.label == "DURATION"]
    assert found == expected, source
