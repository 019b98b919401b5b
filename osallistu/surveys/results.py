"""Results of a survey: per question counts, shares, averages and map points.

Computed from sent responses with a fixed number of GROUP BY queries, however many
responses there are: the structure (4), the respondents (1), answers per question
(1), "other" answers (1), chosen options (1), numbers (2), places marked (1) and the
newest places of each map question (1 each); the breakdown by district or age group
is one query. No query joins the question table: question ids come from the
structure.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Min, Q

from osallistu.areas.models import AgeGroup, Area
from osallistu.core import geo

from . import engine, selectors, widgets
from .models import Answer, Selection

MAP_POINTS_SHOWN = 1000


@dataclass
class Bar:
    label: str
    count: int
    percent: float  # of the people who answered the question


@dataclass
class MatrixRow:
    label: str
    bars: list


@dataclass
class RankedItem:
    label: str
    average_rank: float | None
    ranked_by: int
    first_places: int


@dataclass
class QuestionResult:
    question: object
    kind: str
    answered: int
    bars: list = field(default_factory=list)  # choices, scale values
    rows: list = field(default_factory=list)  # matrix
    ranking: list = field(default_factory=list)
    other_count: int = 0
    average: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    points: list = field(default_factory=list)  # [lon, lat] of the newest map answers
    area_rings: list = field(default_factory=list)  # rings of the newest areas drawn
    marked: int = 0  # map answers with a point or an area
    bbox: list | None = None

    @property
    def areas(self):
        return len(self.area_rings)

    @property
    def points_left_out(self):
        return max(0, self.marked - len(self.points) - self.areas)

    def map_drawing(self):
        """The base map with the places (one path of dots) and areas on it, and the
        same places counted by district for those who do not see the map."""
        base = widgets.base_map(self.bbox)
        frame = base.frame
        counts = defaultdict(lambda: [0, 0])
        for lon, lat in self.points:
            counts[geo.district_of(lon, lat)][0] += 1
        for ring in self.area_rings:
            counts[geo.district_of(*geo.centroid(ring))][1] += 1
        rows = [
            (district["name"], *counts[district["slug"]])
            for district in base.districts
            if district["slug"] in counts
        ]
        return MapDrawing(
            map=base,
            dots=frame.dots(self.points),
            areas=[frame.path(ring) for ring in self.area_rings],
            by_district=rows,
            elsewhere=counts.get(None),
        )


@dataclass
class MapDrawing:
    map: object  # widgets.BaseMap
    dots: str  # SVG path
    areas: list  # SVG paths
    by_district: list  # (district name, places, areas), districts with any
    elsewhere: list | None  # [places, areas] outside the drawn districts


@dataclass
class SurveyResults:
    respondents: int
    questions: list


def _percent(count, total):
    return round(100 * count / total, 1) if total else 0.0


def _filtered(queryset, prefix, district, age_group):
    filters = {f"{prefix}status": "submitted"}
    if district is not None:
        filters[f"{prefix}district"] = district
    if age_group is not None:
        filters[f"{prefix}age_group"] = age_group
    return queryset.filter(**filters)


def survey_results(survey, *, district=None, age_group=None):
    """Results of ``survey``, optionally of the respondents of one district or age group."""
    structure = selectors.survey_structure(survey)
    responses = _filtered(selectors.submitted_responses(survey), "", district, age_group)
    respondents = responses.count()

    def answers_to(specs):
        """Sent answers to ``specs``: the question ids come from the structure, so that
        no query joins the question table."""
        ids = [spec.id for spec in specs]
        return _filtered(Answer.objects.filter(question__in=ids), "response__", district, age_group)

    def of_kind(*kinds):
        return [spec for spec in structure.specs if spec.kind in kinds]

    answers = answers_to(structure.specs)
    answered = dict(answers.values_list("question").annotate(count=Count("id")).order_by())
    with_other = [
        spec
        for spec in of_kind(engine.SINGLE_CHOICE, engine.MULTIPLE_CHOICE)
        if spec.settings["allow_other"]
    ]
    others = dict(
        answers_to(with_other)
        .exclude(text="")
        .values_list("question")
        .annotate(count=Count("id"))
        .order_by()
    )
    chosen = defaultdict(int)  # (question, option, row, rank) → count
    selections = _filtered(
        Selection.objects.filter(question__in=list(structure.questions)),
        "response__",
        district,
        age_group,
    )
    for question, option, row, rank, count in (
        selections.values_list("question", "option", "row", "rank")
        .annotate(count=Count("id"))
        .order_by()
    ):
        chosen[question, option, row, rank] = count
    scale_counts = defaultdict(int)
    for question, number, count in (
        answers_to(of_kind(engine.SCALE))
        .values_list("question", "number")
        .annotate(count=Count("id"))
        .order_by()
    ):
        scale_counts[question, int(number)] = count
    number_stats = {
        row["question"]: row
        for row in answers_to(of_kind(engine.SCALE, engine.NUMBER))
        .values("question")
        .annotate(average=Avg("number"), minimum=Min("number"), maximum=Max("number"))
        .order_by()
    }
    map_specs = of_kind(engine.MAP)
    marked = dict(
        answers_to(map_specs)
        .exclude(value__geojson=None)
        .values_list("question")
        .annotate(count=Count("id"))
        .order_by()
    )
    # The newest places of each map question: one query per map question, not per response.
    map_values = {
        spec.id: list(
            answers_to([spec])
            .exclude(value__geojson=None)
            .order_by("-response_id")
            .values_list("value", flat=True)[:MAP_POINTS_SHOWN]
        )
        for spec in map_specs
    }

    results = []
    for spec in structure.specs:
        if spec.kind == engine.INFO:
            continue
        question = structure.questions[spec.id]
        total = answered.get(spec.id, 0)
        result = QuestionResult(question=question, kind=spec.kind, answered=total)
        if spec.kind in (engine.SINGLE_CHOICE, engine.MULTIPLE_CHOICE):
            result.bars = [
                Bar(
                    option.text,
                    chosen[spec.id, option.id, None, None],
                    _percent(chosen[spec.id, option.id, None, None], total),
                )
                for option in question.choices
            ]
            result.other_count = others.get(spec.id, 0)
        elif spec.kind == engine.SCALE:
            low, high = spec.settings["min"], spec.settings["max"]
            result.bars = [
                Bar(
                    str(value),
                    scale_counts[spec.id, value],
                    _percent(scale_counts[spec.id, value], total),
                )
                for value in range(low, high + 1)
            ]
        elif spec.kind == engine.MATRIX:
            result.rows = []
            for row in question.rows:
                row_total = sum(
                    chosen[spec.id, option.id, row.id, None] for option in question.choices
                )
                result.rows.append(
                    MatrixRow(
                        row.text,
                        [
                            Bar(
                                option.text,
                                chosen[spec.id, option.id, row.id, None],
                                _percent(chosen[spec.id, option.id, row.id, None], row_total),
                            )
                            for option in question.choices
                        ],
                    )
                )
        elif spec.kind == engine.RANKING:
            items = []
            for option in question.choices:
                by_rank = {
                    rank: chosen[spec.id, option.id, None, rank]
                    for rank in range(1, len(question.choices) + 1)
                }
                ranked_by = sum(by_rank.values())
                average = (
                    sum(rank * count for rank, count in by_rank.items()) / ranked_by
                    if ranked_by
                    else None
                )
                items.append(RankedItem(option.text, average, ranked_by, by_rank.get(1, 0)))
            result.ranking = sorted(
                items, key=lambda item: (item.average_rank is None, item.average_rank or 0)
            )
        if spec.kind in (engine.SCALE, engine.NUMBER) and spec.id in number_stats:
            stats = number_stats[spec.id]
            result.average = stats["average"]
            result.minimum, result.maximum = stats["minimum"], stats["maximum"]
        if spec.kind == engine.MAP:
            geometries = [value["geojson"] for value in map_values[spec.id]]
            result.points = [
                geometry["coordinates"] for geometry in geometries if geometry["type"] == "Point"
            ]
            result.area_rings = [
                geometry["coordinates"][0]
                for geometry in geometries
                if geometry["type"] == "Polygon"
            ]
            result.marked = marked.get(spec.id, 0)
            result.bbox = spec.settings["bbox"]
        results.append(result)
    return SurveyResults(respondents=respondents, questions=results)


@dataclass
class Breakdown:
    """Sent responses, choice counts and averages of scales and numbers by group
    (district or age group)."""

    groups: list  # (key, label)
    respondents: list  # per group
    tables: dict  # choice question id → list of (option label, [count per group])
    averages: list  # (question, [(average or None, answers) per group])


def breakdown(survey, *, by):
    """Results by ``by`` = "district" or "age_group", in three queries after the structure."""
    structure = selectors.survey_structure(survey)
    column = f"response__{by}"
    counts = defaultdict(int)
    for question, option, group, count in (
        Selection.objects.filter(
            question__in=list(structure.questions), response__status="submitted", row=None
        )
        .values_list("question", "option", column)
        .annotate(count=Count("id"))
        .order_by()
    ):
        counts[question, option, group] = count
    numeric = [spec for spec in structure.specs if spec.kind in (engine.SCALE, engine.NUMBER)]
    stats = {
        (question, group): (average, count)
        for question, group, average, count in Answer.objects.filter(
            question__in=[spec.id for spec in numeric], response__status="submitted"
        )
        .values_list("question", column)
        .annotate(average=Avg("number"), count=Count("id"))
        .order_by()
    }
    per_group = dict(
        selectors.submitted_responses(survey).values_list(by).annotate(count=Count("id")).order_by()
    )
    if by == "district":
        groups = [(area.pk, area.name) for area in Area.objects.districts()]
        groups.append((None, str(AgeGroup.UNKNOWN.label)))
    else:
        groups = [(group.value, str(group.label)) for group in AgeGroup]
    tables = {}
    for spec in structure.specs:
        if spec.kind not in (engine.SINGLE_CHOICE, engine.MULTIPLE_CHOICE):
            continue
        question = structure.questions[spec.id]
        tables[spec.id] = [
            (option.text, [counts[spec.id, option.id, key] for key, _label in groups])
            for option in question.choices
        ]
    averages = [
        (
            structure.questions[spec.id],
            [stats.get((spec.id, key), (None, 0)) for key, _label in groups],
        )
        for spec in numeric
    ]
    return Breakdown(
        groups=groups,
        respondents=[per_group.get(key, 0) for key, _label in groups],
        tables=tables,
        averages=averages,
    )


def text_questions(structure):
    """Questions whose answers have free text: text, "other" and map addresses."""
    return [
        structure.questions[spec.id]
        for spec in structure.specs
        if spec.kind in (engine.SHORT_TEXT, engine.LONG_TEXT, engine.MAP)
        or (
            spec.kind in (engine.SINGLE_CHOICE, engine.MULTIPLE_CHOICE)
            and spec.settings["allow_other"]
        )
    ]


def text_answers(survey, *, question=None, search=""):
    """Free-text answers (text questions, "other" answers, addresses), newest first."""
    answers = (
        Answer.objects.filter(response__survey=survey, response__status="submitted")
        .exclude(text="")
        .select_related("question")
        .order_by("-response__submitted_at", "question_id")
    )
    if question is not None:
        answers = answers.filter(question=question)
    if search:
        # SQLite folds the case of ASCII letters only; the lower-case form also finds
        # "PENKKEJÄ" written as "penkkejä". PostgreSQL folds every letter.
        answers = answers.filter(Q(text__icontains=search) | Q(text__icontains=search.lower()))
    return answers
