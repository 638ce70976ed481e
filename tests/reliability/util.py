"""Helpers shared by the reliability tests and benches (no pytest imports here)."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from triage.store import DecisionIn, Store

ROOT = Path(__file__).resolve().parents[2]

#: Decisions the method allows, drawn at random by the writers.
CHOICES: tuple[dict, ...] = (
    {"status": "interested"},
    {"status": "in_discussion", "note": "call on Tuesday"},
    {"status": "nurturing", "primary_reason": "timing", "sub_reason": "contract_locked"},
    {"status": "closed_lost", "primary_reason": "budget", "secondary_reason": "timing"},
    {"status": "disqualified", "primary_reason": "fit"},
    {"status": "meeting_booked"},
    {"status": "no_response", "primary_reason": "no_response"},
    {"status": "closed_lost", "primary_reason": "competition", "note": "went with X"},
)


def seed_leads(store: Store, n: int) -> list[int]:
    with store.write():
        return [store.upsert_lead({"email": f"lead{i}@example.com"})[0] for i in range(n)]


def random_decision(rng: random.Random, lead_ids: list[int], rep: str) -> DecisionIn:
    return DecisionIn(lead_id=rng.choice(lead_ids), rep=rep, **rng.choice(CHOICES))


def taxonomy_variant(tmp: Path, edit, name: str = "taxonomy.yaml") -> Path:
    """A copy of the bundled taxonomy.yaml with `edit(data)` applied; returns its path."""
    data = yaml.safe_load((ROOT / "taxonomy.yaml").read_text(encoding="utf-8"))
    edit(data)
    path = tmp / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
