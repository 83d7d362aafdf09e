"""Which of our own labelled data the model never trains on."""

from __future__ import annotations

# Samples never trained on, so the model's contribution can be reported on unseen contracts of
# our own kind (besides CUAD's test half and the two holdout corpora, never trained on either).
HELD_OUT_SAMPLES = frozenset(
    {
        "medicaid_mco_provider_agreement",
        "ambulatory_surgery_center_agreement",
        "physician_group_ppo_agreement",
        "physician_group_ppo_agreement_scanned",
    }
)
