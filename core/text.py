"""Text folded for search: the same function fills the stored search columns and reads the query."""

import unicodedata

from django.db import models


def fold(*parts: str) -> str:
    """Lower case, accents stripped, spaces collapsed: "PANADERÍA  Doña" -> "panaderia dona".

    Both databases then search with a plain ``LIKE`` on the folded column (PostgreSQL through a
    trigram index), so "panaderia" finds "Panadería" and "PANADERÍA" without ``unaccent``.
    """
    text = " ".join(part for part in parts if part)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.lower().split())


class FoldedCharField(models.CharField):
    """A column holding ``fold()`` of other fields (or properties) of the row, computed whenever it is written.

    ``pre_save`` runs for ``save()`` and for ``bulk_create()`` alike, so bulk seeding fills it
    too; a partial ``save(update_fields=...)`` must name it (the models that use it add it).
    ``QuerySet.update()`` of a source field does not refresh it.
    """

    def __init__(self, *args, sources: tuple[str, ...] = (), **kwargs):
        self.sources = tuple(sources)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["sources"] = self.sources
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = self.fold_for(*(getattr(model_instance, source) or "" for source in self.sources))
        setattr(model_instance, self.attname, value)
        return value

    def fold_for(self, *parts: str) -> str:
        """The folded text of these parts, cut to the column's length (a long tail of names is dropped)."""
        return fold(*parts)[: self.max_length]
