"""The learned second opinion: a clause classifier trained from the repo's labelled clauses.

Rules find the phrasing their authors thought of; the model scores every sentence of a
contract per category and proposes the paraphrases no rule matched, as lower-confidence
findings carrying the model's score.
"""
