"""The rules of the settings (pydantic): what `triage.settings.load_settings` validates.

Imported only when the settings read differ from the last ones validated (see
`triage.settings`); the app itself uses the plain `Settings` dataclass built from the result.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from triage.settings import default_rep


class QueueSchema(BaseModel):
    stale_after_days: int = Field(7, ge=1, description="No reply N days after the last outbound")
    recency_half_life_days: float = Field(
        3.0, gt=0, description="A signal loses half its recency weight after this many days"
    )
    weight_class: float = Field(1.0, ge=0, description="Weight of the reply class (intent)")
    weight_fit: float = Field(1.0, ge=0, description="Weight of fit (target segment)")
    weight_recency: float = Field(1.0, ge=0, description="Weight of recency")


class SettingsSchema(BaseModel):
    model_config = ConfigDict(extra="ignore")

    language: Literal["en", "fr"] = Field("en", description="UI language")
    rep: str = Field(default_factory=default_rep, description="Name recorded on decisions")
    taxonomy: Path | None = Field(None, description="taxonomy.yaml to use (default: bundled)")
    queue: QueueSchema = Field(default_factory=QueueSchema)
    our_domains: list[str] = Field(
        default_factory=list,
        description="Mail domains of the sales team: mail from them is outbound (import)",
    )
    our_addresses: list[str] = Field(
        default_factory=list,
        description="Individual addresses of the sales team (outbound when they send)",
    )
    keymap: dict[str, str] = Field(
        default_factory=dict, description="Binding id -> comma-separated keys (App.set_keymap)"
    )

    @field_validator("our_domains", "our_addresses", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        """TRIAGE_OUR_DOMAINS="a.io, b.fr" (or a JSON list) as well as a TOML list."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value
