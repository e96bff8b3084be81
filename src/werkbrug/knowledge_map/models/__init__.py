from .items import (
    Audience,
    Item,
    ItemChange,
    ItemKind,
    ItemStatus,
    Relation,
    RelationKind,
    Scope,
    SourceType,
    Theme,
)

__all__ = [
    "Audience",
    "Item",
    "ItemChange",
    "ItemKind",
    "ItemStatus",
    "Relation",
    "RelationKind",
    "Scope",
    "SourceType",
    "Theme",
]
