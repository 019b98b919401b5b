"""Benchmark survey results and exports on a 20-question survey.

Builds a fresh SQLite database in a temporary folder (or uses DATABASE_URL), adds
made-up sent responses with the demo's generator, and for each size prints:

- the time to compute the results (``results.survey_results``) and to serve the
  whole public results page, with its number of queries (target: under 1 s);
- the peak memory that Python allocates while the CSV export is streamed
  (tracemalloc), which must stay flat as responses grow.

    .venv/bin/python bench/surveys.py                       # 10,000 and 100,000 responses
    .venv/bin/python bench/surveys.py --sizes 2000 10000    # smaller sizes
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _setup_django(folder):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


KINDS = [
    "single_choice",
    "multiple_choice",
    "scale",
    "short_text",
    "ranking",
    "matrix",
    "number",
    "single_choice",
    "scale",
    "long_text",
    "multiple_choice",
    "date",
    "map",
    "single_choice",
    "scale",
    "ranking",
    "number",
    "matrix",
    "multiple_choice",
    "long_text",
]


def build_survey():
    """A survey of 20 questions on two pages; each choice question has 5 options."""
    from datetime import timedelta

    from django.utils import timezone

    from osallistu.areas.helsinki import load_helsinki_areas
    from osallistu.surveys.models import Option, Page, Question, Survey

    load_helsinki_areas()
    now = timezone.now()
    survey = Survey.objects.create(
        slug=f"bench-{int(time.time())}",
        title_fi="Vertailukysely",
        title_sv="Jämförelseenkät",
        title_en="Benchmark survey",
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=1),
        published=True,
        results_published=True,
    )
    pages = [Page.objects.create(survey=survey, position=n) for n in (1, 2)]
    settings = {
        "multiple_choice": {"max_choices": 3},
        "map": {"bbox": [24.78, 60.10, 25.26, 60.30]},
        "number": {"min": 0, "max": 1000},
    }
    for position, kind in enumerate(KINDS, start=1):
        question = Question.objects.create(
            page=pages[position > 10],
            position=position,
            kind=kind,
            text_fi=f"Kysymys {position}",
            text_sv=f"Fråga {position}",
            text_en=f"Question {position}",
            settings=settings.get(kind, {}),
        )
        if kind in ("single_choice", "multiple_choice", "ranking", "matrix"):
            for number in range(1, 6):
                Option.objects.create(
                    question=question,
                    position=number,
                    text_fi=f"Vaihtoehto {number}",
                    text_sv=f"Alternativ {number}",
                    text_en=f"Option {number}",
                )
        if kind == "matrix":
            for number in range(1, 5):
                Option.objects.create(
                    question=question,
                    role=Option.Role.ROW,
                    position=number,
                    text_fi=f"Rivi {number}",
                    text_sv=f"Rad {number}",
                    text_en=f"Row {number}",
                )
    return survey


def time_results(survey, repeats=3):
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from osallistu.surveys import results

    computing = []
    for _ in range(repeats):
        started = time.perf_counter()
        results.survey_results(survey)
        computing.append(time.perf_counter() - started)
    with translation.override("fi"):
        url = reverse("surveys:results", kwargs={"slug": survey.slug})
    client = Client()
    serving = []
    for _ in range(repeats):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            serving.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return statistics.median(computing), statistics.median(serving), len(queries)


def csv_peak(survey):
    """Peak Python allocation (bytes) and bytes written while streaming the CSV."""
    from osallistu.surveys import exports

    tracemalloc.start()
    written = 0
    for line in exports.csv_lines(survey):
        written += len(line)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _setup_django(folder)
        from osallistu.demo.surveys import add_responses

        survey = build_survey()
        rng = random.Random(20)
        have = 0
        print(f"20-question survey; {os.environ['DATABASE_URL'].split(':')[0]} database")
        print(
            f"{'responses':>10} {'adding':>9} {'results':>9} {'page':>9} {'queries':>8}"
            f" {'CSV peak':>10} {'CSV size':>10}"
        )
        for size in sorted(arguments.sizes):
            started = time.perf_counter()
            add_responses(survey, size - have, rng)
            adding = time.perf_counter() - started
            have = size
            computing, serving, queries = time_results(survey)
            peak, written = csv_peak(survey)
            print(
                f"{size:>10,} {adding:>8.1f}s {computing:>8.3f}s {serving:>8.3f}s {queries:>8}"
                f" {peak / 2**20:>8.1f}MB {written / 2**20:>8.1f}MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
