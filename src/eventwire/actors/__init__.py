"""Actor knowledge base and resolution: who an actor mention refers to, as of a date.

`ActorResolver` (in `eventwire.actors.resolve`) is the entry point; the knowledge base it uses is
loaded lazily from the artifact shipped in `eventwire/actors/data/` the first time it is needed.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ActorResolver", "DocumentActors", "KnowledgeBase", "load_kb"]


def __getattr__(name: str) -> Any:
    """Import on first use, so importing the package stays cheap."""
    if name == "ActorResolver":
        from eventwire.actors import resolve

        return getattr(resolve, name)
    if name == "DocumentActors":
        from eventwire.actors import document

        return getattr(document, name)
    if name in ("KnowledgeBase", "load_kb"):
        from eventwire.actors import kb

        return getattr(kb, name)
    raise AttributeError(name)
