"""Platform adapters: importing this package registers every one of them by name."""

from __future__ import annotations

from ckanext.layananpublik.social.adapters import facebook, mastodon, telegram, webhook, x  # noqa: F401
from ckanext.layananpublik.social.adapters.base import REGISTRY, Adapter, Outcome, mask


def get(platform: str) -> type[Adapter]:
    return REGISTRY[platform]


def platforms() -> list[str]:
    return sorted(REGISTRY)


__all__ = ["REGISTRY", "Adapter", "Outcome", "get", "mask", "platforms"]
