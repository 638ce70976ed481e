"""The taxonomy: statuses, reason codes, reply classes and retired codes, from taxonomy.yaml."""

from triage.taxonomy.load import TaxonomyError, default_taxonomy_path, load_taxonomy
from triage.taxonomy.model import (
    RESERVED_KEYS,
    Localized,
    Reason,
    ReplyClass,
    RetiredCode,
    Status,
    SubReason,
    Taxonomy,
)

__all__ = [
    "RESERVED_KEYS",
    "Localized",
    "Reason",
    "ReplyClass",
    "RetiredCode",
    "Status",
    "SubReason",
    "Taxonomy",
    "TaxonomyError",
    "default_taxonomy_path",
    "load_taxonomy",
]
