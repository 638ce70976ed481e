"""User settings: config.toml in the user config dir, overridden by TRIAGE_* environment variables.

Example config.toml::

    language = "fr"
    rep = "julie"
    our_domains = ["acme-sales.io"]
    [queue]
    stale_after_days = 5
    [keymap]
    next_lead = "down,j,n"
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from triage.locations import config_file


def _default_rep() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): still a usable default
        return "rep"


class QueueSettings(BaseModel):
    """What enters the queue and in which order."""

    stale_after_days: int = Field(7, ge=1, description="No reply N days after the last outbound")
    recency_half_life_days: float = Field(
        3.0, gt=0, description="A signal loses half its recency weight after this many days"
    )
    weight_class: float = Field(1.0, ge=0, description="Weight of the reply class (intent)")
    weight_fit: float = Field(1.0, ge=0, description="Weight of fit (target segment)")
    weight_recency: float = Field(1.0, ge=0, description="Weight of recency")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TRIAGE_", env_nested_delimiter="__", extra="ignore"
    )

    language: Literal["en", "fr"] = Field("en", description="UI language")
    rep: str = Field(default_factory=_default_rep, description="Name recorded on decisions")
    taxonomy: Path | None = Field(None, description="taxonomy.yaml to use (default: bundled)")
    queue: QueueSettings = Field(default_factory=QueueSettings)
    our_domains: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Mail domains of the sales team: mail from them is outbound (import)",
    )
    our_addresses: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Individual addresses of the sales team (outbound when they send)",
    )

    @field_validator("our_domains", "our_addresses", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        """TRIAGE_OUR_DOMAINS="a.io, b.fr" (or a JSON list) as well as a TOML list."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value
    keymap: dict[str, str] = Field(
        default_factory=dict, description="Binding id -> comma-separated keys (App.set_keymap)"
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=config_file()),
        )
