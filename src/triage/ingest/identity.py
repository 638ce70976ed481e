"""Which addresses are the sales team's own: decides whether a message is outbound or inbound.

Order of evidence:
1. settings `our_addresses` / `our_domains` (exact address, or domain and its subdomains);
2. addresses already seen sending outbound mail in this database;
3. the batch itself: an address that is a correspondent of several others (the SDR writes to
   many leads; a lead writes to one or two people), or that appears as a recipient of the
   replies in the lead's thread.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

#: An address corresponding with at least this many others in one batch is taken as ours.
HUB_MIN_CORRESPONDENTS = 3


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].lower()


@dataclass
class Identity:
    addresses: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)
    learned: set[str] = field(default_factory=set)

    @classmethod
    def from_settings(cls, settings: object | None) -> Identity:
        addresses = getattr(settings, "our_addresses", None) or []
        domains = getattr(settings, "our_domains", None) or []
        return cls(
            {a.strip().lower() for a in addresses if a.strip()},
            {d.strip().lower().lstrip("@") for d in domains if d.strip()},
        )

    @property
    def configured(self) -> bool:
        return bool(self.addresses or self.domains)

    def is_ours(self, address: str) -> bool:
        address = address.lower()
        if address in self.addresses or address in self.learned:
            return True
        dom = domain_of(address)
        return any(dom == d or dom.endswith("." + d) for d in self.domains)

    def learn(self, addresses: Iterable[str]) -> None:
        self.learned.update(a.lower() for a in addresses if a)


def hub_addresses(pairs: Iterable[tuple[str, list[str]]]) -> set[str]:
    """Addresses that correspond with many others in a batch of (from, to) pairs."""
    correspondents: dict[str, set[str]] = defaultdict(set)
    for sender, recipients in pairs:
        if not sender:
            continue
        for rcpt in recipients:
            if rcpt and rcpt != sender:
                correspondents[sender].add(rcpt)
                correspondents[rcpt].add(sender)
    return {a for a, peers in correspondents.items() if len(peers) >= HUB_MIN_CORRESPONDENTS}
