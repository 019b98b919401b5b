"""What the templates need to draw one question: its inputs with their current
values (posted or stored) and its error, all worked out here so that the
templates stay plain HTML."""

import json
from dataclasses import dataclass, field

from django.utils.datastructures import MultiValueDict

from osallistu.areas.maps import base_map
from osallistu.core.geo import BaseMap

from . import engine


@dataclass
class QuestionWidget:
    question: object  # Question with .choices and .rows
    spec: engine.QuestionSpec
    error: str = ""
    value: str = ""  # text, number, date, scale, single choice
    choices: list = field(default_factory=list)  # dicts: id, text, checked
    other_checked: bool = False
    other_text: str = ""
    rows: list = field(default_factory=list)  # dicts: id, text, cells (id, text, checked)
    scale: list = field(default_factory=list)  # dicts: value, checked
    address: str = ""
    lat: str = ""
    lon: str = ""
    geojson: str = ""
    answered: bool = False
    map: BaseMap | None = None

    @property
    def name(self):
        return self.spec.name

    @property
    def template(self):
        return f"surveys/questions/{self.spec.kind}.html"

    @property
    def ranked(self):
        """Ranked items, most important first."""
        ranks = {choice["id"]: engine.whole(choice["rank"]) for choice in self.choices}
        ranked = [choice for choice in self.choices if ranks[choice["id"]] is not None]
        return sorted(ranked, key=lambda choice: ranks[choice["id"]])

    @property
    def rank_limit(self):
        return engine.rank_limit(self.spec)

    @property
    def ranks(self):
        """The ranks offered for each item: exactly those the engine takes."""
        return [str(rank) for rank in range(1, self.rank_limit + 1)]

    @property
    def ranks_limited(self):
        """Fewer ranks than items: the question says so before it is answered."""
        return self.rank_limit < len(self.choices)

    max_corners = engine.MAX_MAP_POSITIONS

    @property
    def drawn_answer(self):
        """The place answered, on this question's map: {"point": (x, y)} or
        {"area": SVG path}, or None."""
        if self.map is None or not self.geojson:
            return None
        try:
            geometry = json.loads(self.geojson)
            frame = self.map.frame
            if geometry["type"] == "Point":
                return {"point": frame.xy(*geometry["coordinates"])}
            return {"area": frame.path(geometry["coordinates"][0])}
        except (ValueError, KeyError, TypeError, IndexError):
            return None

    @property
    def described_by(self):
        ids = []
        if self.question.help_text:
            ids.append(f"{self.name}_help")
        if self.spec.kind == engine.RANKING:
            ids.append(f"{self.name}_how")
        if self.error:
            ids.append(f"{self.name}_error")
        return " ".join(ids)


def build(question, spec, data, error=""):
    """A widget for ``question`` showing ``data`` (a MultiValueDict or a plain
    {name: [values]} mapping)."""
    if not isinstance(data, MultiValueDict):
        data = MultiValueDict(data)
    name = spec.name
    selected = set(data.getlist(name))
    widget = QuestionWidget(
        question=question,
        spec=spec,
        error=error,
        value=data.get(name, ""),
        other_checked=engine.OTHER in selected,
        other_text=data.get(f"{name}_other", ""),
        address=data.get(f"{name}_address", ""),
        lat=data.get(f"{name}_lat", ""),
        lon=data.get(f"{name}_lon", ""),
        geojson=data.get(f"{name}_geojson", ""),
        answered=any(value for values in data.lists() for value in values[1]),
    )
    if spec.kind == engine.RANKING:
        widget.choices = [
            {"id": option.id, "text": option.text, "rank": data.get(f"{name}_{option.id}", "")}
            for option in question.choices
        ]
    else:
        widget.choices = [
            {"id": option.id, "text": option.text, "checked": str(option.id) in selected}
            for option in question.choices
        ]
    widget.rows = [
        {
            "id": row.id,
            "text": row.text,
            "cells": [
                {
                    "id": option.id,
                    "text": option.text,
                    "checked": data.get(f"{name}_{row.id}", "") == str(option.id),
                }
                for option in question.choices
            ],
        }
        for row in question.rows
    ]
    if spec.kind == engine.MAP:
        widget.map = base_map(spec.settings["bbox"])
    if spec.kind == engine.SCALE:
        widget.scale = [
            {"value": value, "checked": widget.value == str(value)}
            for value in range(spec.settings["min"], spec.settings["max"] + 1)
        ]
    return widget


def for_page(structure, specs, values, posted=None, errors=None):
    """Widgets for ``specs`` filled from ``posted`` (after a refused POST) or else
    from the stored ``values``."""
    errors = errors or {}
    widgets = []
    for spec in specs:
        data = posted if posted is not None else engine.as_form_data(spec, values.get(spec.id))
        widgets.append(build(structure.questions[spec.id], spec, data, errors.get(spec.id, "")))
    return widgets
