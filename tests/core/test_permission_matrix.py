"""Who may use each URL of the site: a permission matrix over the URL configuration.

Every URL pattern (walked from ``get_resolver()``, the language-prefixed ones included)
must have a row in ``MATRIX``, keyed by its name (``"budgeting:staff_plan"``; an
unnamed pattern by its route without the language prefix). A row says which HTTP
methods the view takes and, for one or more cases (the objects named in the URL),
which principals are allowed. Every principal of ``world.PRINCIPALS`` then requests
the URL with every method, and the test compares who got in with the row:

- allowed: a 2xx answer, a 400 (the view's own answer to the empty or bad input), or
  a redirect anywhere but to the login page or the second step;
- denied: 403, 404, or a redirect to the login page or the second step (or to a
  page the row names in ``refused_to``, for views that send the wrong people away);
- for a POST whose row names its ``effect``: allowed when the effect happened, denied
  when it did not;
- anything else (500, 405 for a method the row lists) fails the test.

Adding a view: add its row, with the rule the view is meant to keep, next to its
neighbours; build the objects its URL needs in ``tests/core/world.py``; give POST data
(``data``) that reaches the view's own checks when an empty form would stop earlier.
The test runs one row, case and method at a time and names every principal who got
the wrong answer.

Admin pages of registered models are rows made from the admin registry: everyone but
a superuser past the second factor is refused; what the superuser may do there is the
admin's own business (``unchecked``, as are principals the admin cannot tell apart).
"""

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import (
    LocalePrefixPattern,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.utils import translation

from osallistu.budgeting.models import Shortlist
from osallistu.opendata import resources as opendata_resources
from tests.core.world import PRINCIPALS, STAFF, build_world, sign_in

LANGUAGES = [code for code, _name in settings.LANGUAGES]

# Principals
EVERYONE = frozenset(PRINCIPALS)
NOBODY = frozenset()
SIGNED_IN = EVERYONE - {"anonymous"}
STAFF_PAST_SECOND_FACTOR = frozenset(STAFF) | {"superuser"}
STAFF_ANY = frozenset(p for p in PRINCIPALS if p not in ("anonymous", "resident"))
RESIDENT = frozenset({"resident"})
CITY_ADMINS = frozenset({"city_admin", "superuser"})
# budgeting.permissions
CO_CREATE_ANYWHERE = CITY_ADMINS | {"coach", "coach_west"}
CO_CREATE_EAST = CITY_ADMINS | {"coach"}
MODERATE_ANYWHERE = CITY_ADMINS | {"coach", "moderator", "coach_west", "moderator_west"}
MODERATE_EAST = CITY_ADMINS | {"coach", "moderator"}
# Ballots at service points: not city administrators, who count and publish.
RECORD_ANYWHERE = frozenset(
    {"superuser", "service_point", "coach", "service_point_west", "coach_west"}
)
RECORD_EAST = frozenset({"superuser", "service_point", "coach"})
BUDGETING_DESK = MODERATE_ANYWHERE | RECORD_ANYWHERE
# identity.permissions
CHECK_IDENTITY = frozenset({"superuser", "service_point", "service_point_west"})
# Downloading a resident's data for them at a service point: city administrators, and
# service point staff for residents of their district.
EXPORT_ANYWHERE = CITY_ADMINS | {"service_point", "service_point_west"}
EXPORT_EAST = CITY_ADMINS | {"service_point"}
# premises.selectors.may_manage_premises and managed_units
PREMISES_DESK = CITY_ADMINS | {"premises", "premises_west"}
PREMISES_EAST = CITY_ADMINS | {"premises"}
# surveys: scoped as budgeting is; the builder as surveys.builder.may_build says
# surveys.permissions: as budgeting's moderation; reporters read published results.
SURVEYS_ANYWHERE = MODERATE_ANYWHERE
SURVEYS_EAST = MODERATE_EAST
# initiatives.permissions: registry staff of the initiative's area and city administrators
# handle it; city coaches help authors.
HANDLE_EAST = CITY_ADMINS | {"registry"}
HANDLE_ANYWHERE = HANDLE_EAST | {"registry_west"}
COACHES = frozenset({"coach", "coach_west"})
# feedback.permissions: handlers who are members of the category's division, in the
# district of their role; feedback of an unknown district only city-wide.
FEEDBACK_DESK = CITY_ADMINS | {"feedback", "feedback_west"}
FEEDBACK_EAST = CITY_ADMINS | {"feedback"}
# coaches.permissions: the desk for coaches of either kind and city administrators; a
# request or a meeting for the coaches of its kind and district; events for coaches of
# either kind of their district; companies for business coaches (reporters read).
COACH_DESK = CITY_ADMINS | COACHES | {"business_coach"}
CITY_COACH_EAST = CITY_ADMINS | {"coach"}
EVENTS_EAST = CITY_ADMINS | {"coach", "business_coach"}
# volunteering.permissions: city coaches verify the organisers of their district, district
# moderators and city coaches decide on its talkoot, reporters see the figures; an
# organiser's pages are its members' (the resident is a member of the Eastern one).
VERIFY_EAST = CITY_ADMINS | {"coach"}
TALKOOT_EAST = CITY_ADMINS | {"coach", "moderator"}
VOLUNTEERING_FIGURES = CITY_ADMINS | {"reporter"}
VOLUNTEERING_DESK = MODERATE_ANYWHERE | VOLUNTEERING_FIGURES
# monitoring.permissions: staff figures of the whole city for city-wide reporters and
# administrators, of a district also for its coach; plans and reports city-wide only.
MONITORING_CITY = CITY_ADMINS | {"reporter"}
MONITORING_REPORTS = CITY_ADMINS | {"reporter"}


GET, POST = "GET", "POST"


@dataclass(frozen=True)
class Case:
    """One URL with its objects, and who may use it."""

    allowed: frozenset | Mapping[str, frozenset]
    """Principals allowed, or ``{method: principals}`` where methods differ."""
    kwargs: Callable = lambda w: {}
    query: Callable = lambda w: {}
    data: Callable = lambda w: {}
    """POST data."""
    unchecked: frozenset = NOBODY
    refused_to: tuple = ()
    """Pages a redirect to means "refused": URL names, or ``(name, kwargs(w))``."""
    effect: Callable | None = None
    """For POST: what the request should change (``effect(w)`` read before and after);
    allowed means it changed. For views that answer a refusal as they answer success."""
    path: Callable | None = None
    """For unnamed patterns: the path after the language prefix."""

    def allowed_for(self, method):
        return self.allowed[method] if isinstance(self.allowed, Mapping) else self.allowed


@dataclass(frozen=True)
class Row:
    methods: tuple
    cases: Mapping[str, Case]


def view(allowed, methods=(GET,), **case):
    return Row(methods, {"": Case(allowed, **case)})


def cases(methods=(GET,), **by_label):
    return Row(methods, by_label)


def staff_survey_row(methods=(GET,), data=None, effect=None, city=CITY_ADMINS):
    """A surveys staff page of the Eastern survey and of the city-wide one (``city``
    allowed there); ``data(survey)`` and ``effect(survey)`` as in ``Case``."""

    def case(allowed, survey):
        return Case(
            allowed,
            kwargs=lambda w: {"slug": survey(w).slug},
            data=(lambda w: data(survey(w))) if data else (lambda w: {}),
            effect=(lambda w: effect(survey(w))) if effect else None,
        )

    return cases(
        methods,
        **{
            "Eastern survey": case(SURVEYS_EAST, lambda w: w.survey_east),
            "city-wide survey": case(city, lambda w: w.survey_city),
        },
    )


def hearing_row(methods, kwargs, data=lambda w: {}, effect=None):
    """A hearing's staff page, of the Eastern hearing and of the city-wide one;
    ``kwargs(hearing, comment)``, ``effect(comment)``."""

    def case(allowed, hearing, comment):
        return Case(
            allowed,
            kwargs=lambda w: kwargs(hearing(w), comment(w)),
            data=data,
            effect=(lambda w: effect(comment(w))) if effect else None,
        )

    return cases(
        methods,
        **{
            "Eastern hearing": case(
                SURVEYS_EAST, lambda w: w.hearing_east, lambda w: w.hearing_east_comment
            ),
            "city-wide hearing": case(
                CITY_ADMINS, lambda w: w.hearing, lambda w: w.hearing_comment
            ),
        },
    )


def results_published(survey):
    return type(survey).objects.get(pk=survey.pk).results_published


def builder_row(methods, kwargs, data=lambda w: {}):
    """A survey builder page; ``kwargs(w, survey)`` fills the URL."""
    return cases(
        methods,
        **{
            "Eastern survey": Case(
                SURVEYS_EAST, kwargs=lambda w: kwargs(w, w.survey_east), data=data
            ),
            "city-wide survey": Case(
                CITY_ADMINS, kwargs=lambda w: kwargs(w, w.survey_city), data=data
            ),
        },
    )


def plan(w, plan):
    return {"slug": w.round.slug, "code": plan.code}


def proposal(w):
    return {"slug": w.ideas.slug, "pk": w.proposal.pk}


def proposal_comment(w, comment=None):
    return {**proposal(w), "comment_id": (comment or w.comment).pk}


def hidden(instance):
    """Whether ``instance`` (a proposal or a comment) is hidden now, read again."""
    return type(instance).objects.get(pk=instance.pk).hidden_at is not None


def feedback(name):
    """The URL's kwargs for the feedback ``w.<name>``."""
    return lambda w: {"pk": getattr(w, name).pk}


def feedback_read(name, field):
    return lambda w: getattr(type(getattr(w, name)).objects.get(pk=getattr(w, name).pk), field)


def followers(name):
    return lambda w: getattr(w, name).followers.count()


def open311(**kwargs):
    return lambda w: {"fmt": "json", **{key: value(w) for key, value in kwargs.items()}}


def open311_post(w, **fields):
    return {
        "service_code": w.category.code,
        "description": "Katuvalo on pimeänä Vuotiellä.",
        "address_string": "Vuotie 45",
        **fields,
    }


def feedback_count(w):
    return type(w.feedback_east).objects.count()


def initiative(name):
    """The URL's kwargs for the initiative ``w.<name>``."""
    return lambda w: {"pk": getattr(w, name).pk}


def initiative_state(name):
    return lambda w: type(getattr(w, name)).objects.get(pk=getattr(w, name).pk).state


def handling_row(methods=(POST,), **case):
    """A staff page of initiatives, of the sent Eastern initiative and the city-wide one."""
    return cases(
        methods,
        **{
            "Eastern initiative": Case(HANDLE_EAST, kwargs=initiative("sent_east"), **case),
            "city-wide initiative": Case(CITY_ADMINS, kwargs=initiative("sent_city"), **case),
        },
    )


def status_of(name):
    """The status of ``w.<name>``, read again."""
    return lambda w: type(getattr(w, name)).objects.get(pk=getattr(w, name).pk).status


def organiser_slug(w):
    return {"slug": w.organiser.slug}


def support_batch(w):
    return {"pk": w.sent_east.pk, "batch": w.support_batch.pk}


def support_batch_checked(w):
    batch = type(w.support_batch).objects.get(pk=w.support_batch.pk)
    return batch.confirmed_at, batch.returned_at


def hearing_comment(w):
    return {"slug": w.hearing.slug, "comment_id": w.hearing_comment.pk}


# fmt: off
MATRIX = {
    # core
    "core:home": view(EVERYONE),
    "core:accessibility": view(EVERYONE),
    "core:privacy_notice": view(EVERYONE),
    "core:staff_desk": view(STAFF_PAST_SECOND_FACTOR),
    "healthz": view(EVERYONE),
    # The open data API and its pages: opendata_rows().
    # In development only: uploads, to anyone; a file that is not there is a 404.
    "^media/(?P<path>.*)$": view(NOBODY, path=lambda w: "media/no-such-file.png"),

    # accounts
    "accounts:login": view(EVERYONE, (GET, POST)),
    "accounts:logout": view(EVERYONE, (POST,)),
    "accounts:register": view(EVERYONE, (GET, POST)),
    "accounts:register_sent": view(EVERYONE),
    # The e-mailed link is the credential: whoever holds it makes the account.
    "accounts:register_confirm": view(
        EVERYONE, (GET, POST), kwargs=lambda w: {"token": w.registration_token},
        effect=lambda w: type(w.resident).objects.count(),
    ),
    "accounts:profile": view(SIGNED_IN, (GET, POST)),
    "accounts:my_data": view(SIGNED_IN),
    "accounts:my_data_download": view(SIGNED_IN, (POST,)),
    # An empty form deletes nothing: the password and a tick are asked for.
    "accounts:delete_account": view(SIGNED_IN, (GET, POST)),
    "accounts:staff_person_data": view(EXPORT_ANYWHERE),
    "accounts:staff_person_data_download": view(
        EXPORT_EAST, (POST,), kwargs=lambda w: {"pk": w.resident.pk}
    ),
    # A further authenticator needs the current second factor (issue 12, hole 1); every
    # member of staff in the world has one.
    "accounts:mfa_setup": view(
        STAFF_PAST_SECOND_FACTOR, (GET, POST), refused_to=("accounts:profile",)
    ),
    "accounts:mfa_verify": view(STAFF_ANY, (GET, POST)),
    "accounts:staff_accounts": view(CITY_ADMINS),
    "accounts:staff_reset_second_factor": view(
        CITY_ADMINS, (GET, POST), kwargs=lambda w: {"pk": w.people["moderator"][0].pk},
        effect=lambda w: w.people["moderator"][0].totpdevice_set.count(),
    ),

    # identity
    "identity:identify": view(EVERYONE),
    "identity:oidc_start": view(SIGNED_IN, refused_to=("identity:identify",)),
    # The provider's answer: without a flow under way everyone gets the failure page.
    "identity:oidc_callback": view(EVERYONE),
    "identity:in_person": view(CHECK_IDENTITY, (GET, POST)),

    # budgeting, residents
    "budgeting:rounds": view(EVERYONE),
    "budgeting:round": view(EVERYONE, kwargs=lambda w: {"slug": w.round.slug}),
    "budgeting:my_proposals": view(SIGNED_IN),
    "budgeting:proposals": view(EVERYONE, kwargs=lambda w: {"slug": w.ideas.slug}),
    "budgeting:proposal_new": view(
        SIGNED_IN, (GET, POST), kwargs=lambda w: {"slug": w.ideas.slug}
    ),
    "budgeting:proposal": view(EVERYONE, kwargs=proposal),
    "budgeting:proposal_edit": view(RESIDENT, (GET, POST), kwargs=proposal),
    "budgeting:proposal_comment": cases(
        (POST,),
        shown=Case(
            SIGNED_IN, kwargs=proposal, data=lambda w: {"text": "Kannatan."},
            effect=lambda w: w.proposal.comments.count(),
        ),
        hidden=Case(
            NOBODY,
            kwargs=lambda w: {"slug": w.ideas.slug, "pk": w.hidden_proposal.pk},
            data=lambda w: {"text": "Kannatan."},
            effect=lambda w: w.hidden_proposal.comments.count(),
        ),
    ),
    "budgeting:plans": view(EVERYONE, kwargs=lambda w: {"slug": w.round.slug}),
    "budgeting:plan": view(EVERYONE, kwargs=lambda w: plan(w, w.plan_east)),
    "budgeting:implementation": view(EVERYONE, kwargs=lambda w: {"slug": w.finished.slug}),
    "budgeting:results": view(EVERYONE, kwargs=lambda w: {"slug": w.finished.slug}),
    "budgeting:ballots_download": view(
        EVERYONE, kwargs=lambda w: {"slug": w.finished.slug, "area": w.east.slug}
    ),
    # Voting: only an eligible resident (staff accounts here are not identified).
    "budgeting:choose_district": view(RESIDENT, kwargs=lambda w: {"slug": w.round.slug}),
    "budgeting:ballot": view(
        RESIDENT, (GET, POST), kwargs=lambda w: {"slug": w.round.slug, "district": w.east.slug},
        data=lambda w: {f"plans_{w.east.slug}": [w.plan_east.pk]},
    ),
    "budgeting:cast": view(
        RESIDENT, (POST,), kwargs=lambda w: {"slug": w.round.slug, "district": w.east.slug},
        data=lambda w: {"plans": [w.plan_east.pk]},
        effect=lambda w: w.round.participations.count(),
    ),
    # A tick saved on the voter's own shortlist; a refusal also goes back to the ballot.
    "budgeting:choose": view(
        RESIDENT, (POST,), kwargs=lambda w: {"slug": w.round.slug, "district": w.east.slug},
        data=lambda w: {"plan": w.plan_east.pk, "chosen": "1"},
        effect=lambda w: Shortlist.objects.count(),
    ),
    "budgeting:compare": view(
        RESIDENT, kwargs=lambda w: {"slug": w.round.slug, "district": w.east.slug},
        query=lambda w: {"plans": [w.plan_east.pk, w.plan_city.pk]},
    ),
    "budgeting:ballot_plan": view(
        RESIDENT,
        kwargs=lambda w: {"slug": w.round.slug, "district": w.east.slug, "code": w.plan_east.code},
    ),
    "budgeting:receipt": view(SIGNED_IN, kwargs=lambda w: {"slug": w.round.slug}),

    # budgeting, staff (budgeting.permissions)
    "budgeting:staff_rounds": view(BUDGETING_DESK),
    "budgeting:staff_round_new": view(CITY_ADMINS, (GET, POST)),
    # Turnout for those who record ballots and for city administrators.
    "budgeting:staff_round": view(
        RECORD_ANYWHERE | CITY_ADMINS, kwargs=lambda w: {"slug": w.round.slug}
    ),
    "budgeting:staff_round_edit": view(
        CITY_ADMINS, (GET, POST), kwargs=lambda w: {"slug": w.round.slug}
    ),
    "budgeting:staff_budgets": view(
        CITY_ADMINS, (GET, POST), kwargs=lambda w: {"slug": w.round.slug}
    ),
    "budgeting:staff_count": cases(
        (GET, POST),
        count=Case(
            CITY_ADMINS, kwargs=lambda w: {"slug": w.round.slug},
            data=lambda w: {"area": w.east.pk},
        ),
        # A result is published by another city administrator than the one who counted
        # it (the superuser).
        publish=Case(
            {GET: CITY_ADMINS, POST: frozenset({"city_admin"})},
            kwargs=lambda w: {"slug": w.finished.slug},
            data=lambda w: {"publish": w.unpublished_tally.pk},
            effect=lambda w: type(w.unpublished_tally).objects.get(
                pk=w.unpublished_tally.pk
            ).published_at,
        ),
    ),
    # The list shows what the person may decide; a decision is for the proposal's area.
    "budgeting:staff_proposals": view(
        {GET: MODERATE_ANYWHERE, POST: MODERATE_EAST}, (GET, POST),
        kwargs=lambda w: {"slug": w.ideas.slug},
        data=lambda w: {"proposal": w.proposal.pk, f"p{w.proposal.pk}-accept": "1"},
        effect=lambda w: type(w.proposal).objects.get(pk=w.proposal.pk).status,
    ),
    "budgeting:staff_hide_proposal": view(
        MODERATE_EAST, (POST,), kwargs=proposal, data=lambda w: {"hide-reason": "Asiaton"},
        effect=lambda w: hidden(w.proposal),
    ),
    "budgeting:staff_unhide_proposal": view(
        MODERATE_EAST, (POST,),
        kwargs=lambda w: {"slug": w.ideas.slug, "pk": w.hidden_proposal.pk},
        effect=lambda w: hidden(w.hidden_proposal),
    ),
    "budgeting:staff_hide_comment": view(
        MODERATE_EAST, (POST,), kwargs=proposal_comment,
        data=lambda w: {f"hide{w.comment.pk}-reason": "Asiaton"},
        effect=lambda w: hidden(w.comment),
    ),
    "budgeting:staff_unhide_comment": view(
        MODERATE_EAST, (POST,), kwargs=lambda w: proposal_comment(w, w.hidden_comment),
        effect=lambda w: hidden(w.hidden_comment),
    ),
    "budgeting:staff_plans": view(CO_CREATE_ANYWHERE, kwargs=lambda w: {"slug": w.round.slug}),
    "budgeting:staff_plan_from_proposals": cases(
        (GET, POST),
        Eastern=Case(CO_CREATE_EAST, kwargs=lambda w: {"slug": w.ideas.slug, "area": "eastern"}),
        city=Case(CITY_ADMINS, kwargs=lambda w: {"slug": w.ideas.slug, "area": "helsinki"}),
    ),
    "budgeting:staff_plan": cases(
        (GET, POST),
        Eastern=Case(CO_CREATE_EAST, kwargs=lambda w: plan(w, w.plan_east)),
        city=Case(CITY_ADMINS, kwargs=lambda w: plan(w, w.plan_city)),
    ),
    "budgeting:staff_plan_pictures": cases(
        (GET, POST),
        Eastern=Case(CO_CREATE_EAST, kwargs=lambda w: plan(w, w.plan_east)),
        city=Case(CITY_ADMINS, kwargs=lambda w: plan(w, w.plan_city)),
    ),
    "budgeting:staff_plan_progress": view(
        CO_CREATE_EAST, (GET, POST), kwargs=lambda w: plan(w, w.plan_east)
    ),
    # For a resident of the Eastern district.
    # Assisted ballots and paper votes: for residents of the Eastern district, by those
    # who record its ballots. A second person stands behind each: the resident was
    # identified electronically; the Eastern service point checked the other voter's
    # identity itself, so only someone else records that person's ballot unconfirmed.
    "budgeting:staff_record_ballot": cases(
        (GET, POST),
        **{
            "identified electronically": Case(
                RECORD_EAST, kwargs=lambda w: {"slug": w.round.slug, "voter_id": w.resident.pk}
            ),
            "identity checked by the service point": Case(
                {GET: RECORD_EAST, POST: RECORD_EAST - {"service_point"}},
                kwargs=lambda w: {"slug": w.round.slug, "voter_id": w.checked_voter.pk},
                data=lambda w: {f"ballot-plans_{w.east.slug}": [w.plan_east.pk]},
                effect=lambda w: w.round.participations.count(),
            ),
        },
    ),
    "budgeting:staff_paper_vote": cases(
        (POST,),
        **{
            "identified electronically": Case(
                RECORD_EAST, kwargs=lambda w: {"slug": w.round.slug, "voter_id": w.resident.pk}
            ),
            "identity checked by the service point": Case(
                RECORD_EAST - {"service_point"},
                kwargs=lambda w: {"slug": w.round.slug, "voter_id": w.checked_voter.pk},
                effect=lambda w: w.round.participations.count(),
            ),
        },
    ),
    "budgeting:staff_paper_batches": view(
        RECORD_ANYWHERE, (GET, POST), kwargs=lambda w: {"slug": w.round.slug}
    ),
    # Batches of the Eastern district: the slips are entered by whoever opened the batch,
    # and someone else reconciles it.
    "budgeting:staff_paper_batch": cases(
        (GET, POST),
        **{
            "being entered": Case(
                {GET: RECORD_EAST, POST: frozenset({"service_point"})},
                kwargs=lambda w: {"slug": w.round.slug, "pk": w.paper_batch.pk},
                data=lambda w: {"action": "slip"},
            ),
            "submitted": Case(
                {GET: RECORD_EAST, POST: RECORD_EAST - {"service_point"}},
                kwargs=lambda w: {"slug": w.round.slug, "pk": w.submitted_batch.pk},
                data=lambda w: {"action": "reconcile", "slips_counted": 1},
                effect=lambda w: type(w.submitted_batch).objects.get(
                    pk=w.submitted_batch.pk
                ).reconciled_at,
            ),
        },
    ),

    # surveys, residents
    "surveys:list": view(EVERYONE),
    "surveys:detail": cases(
        **{
            "Eastern survey": Case(EVERYONE, kwargs=lambda w: {"slug": w.survey_east.slug}),
            "city-wide survey": Case(EVERYONE, kwargs=lambda w: {"slug": w.survey_city.slug}),
        }
    ),
    # One response a person: the resident has sent one to the city-wide survey and is
    # answering the Eastern one; the Eastern survey is for its residents.
    "surveys:start": cases(
        (POST,),
        **{
            "Eastern survey": Case(
                RESIDENT, kwargs=lambda w: {"slug": w.survey_east.slug},
                refused_to=(("surveys:detail", lambda w: {"slug": w.survey_east.slug}),),
            ),
            "city-wide survey": Case(
                EVERYONE - RESIDENT, kwargs=lambda w: {"slug": w.survey_city.slug},
                refused_to=(("surveys:detail", lambda w: {"slug": w.survey_city.slug}),),
            ),
        }
    ),
    # One's own response, or its thanks once sent; without one, back to the survey's page.
    "surveys:answer": cases(
        (GET, POST),
        **{
            "Eastern survey": Case(
                RESIDENT, kwargs=lambda w: {"slug": w.survey_east.slug},
                refused_to=(("surveys:detail", lambda w: {"slug": w.survey_east.slug}),),
            ),
            "city-wide survey": Case(
                RESIDENT, kwargs=lambda w: {"slug": w.survey_city.slug},
                refused_to=(("surveys:detail", lambda w: {"slug": w.survey_city.slug}),),
            ),
        }
    ),
    "surveys:thanks": view(RESIDENT, kwargs=lambda w: {"slug": w.survey_city.slug}),
    "surveys:results": view(EVERYONE, kwargs=lambda w: {"slug": w.survey_city.slug}),
    "surveys:hearings": view(EVERYONE),
    "surveys:hearing": view(EVERYONE, kwargs=lambda w: {"slug": w.hearing.slug}),
    # The hearing and its poll take comments and votes from people who have logged in.
    "surveys:comment": view(
        SIGNED_IN, (POST,), kwargs=lambda w: {"slug": w.hearing.slug},
        data=lambda w: {"text": "Samaa mieltä.", "nickname": ""},
        effect=lambda w: w.hearing.comments.count(),
    ),
    "surveys:reply": view(
        SIGNED_IN, (POST,), kwargs=hearing_comment, data=lambda w: {"text": "Samaa mieltä."},
        effect=lambda w: w.hearing.comments.count(),
    ),
    "surveys:support": view(
        SIGNED_IN, (POST,), kwargs=hearing_comment,
        effect=lambda w: w.hearing_comment.supports.count(),
    ),
    "surveys:flag": view(
        SIGNED_IN, (POST,), kwargs=hearing_comment, data=lambda w: {"reason": "Asiaton"},
        effect=lambda w: w.hearing_comment.flags.count(),
    ),
    "surveys:poll_vote": view(
        SIGNED_IN, (POST,), kwargs=lambda w: {"slug": w.hearing.slug, "poll_id": w.poll.pk},
        data=lambda w: {"option": w.poll.options.first().pk},
        effect=lambda w: w.poll.votes.count(),
    ),

    # surveys, staff (surveys.permissions): city administrators anything, district
    # moderators and city coaches what reaches only their districts; reporters read the
    # results the city has published (the city-wide survey's); premises managers none.
    "surveys:staff_list": view(SURVEYS_ANYWHERE | {"reporter"}),
    "surveys:staff_results": staff_survey_row(city=CITY_ADMINS | {"reporter"}),
    "surveys:publish": staff_survey_row(
        (POST,),
        data=lambda survey: {"published": "0" if survey.results_published else "1"},
        effect=results_published,
    ),
    "surveys:staff_breakdown": staff_survey_row(city=CITY_ADMINS | {"reporter"}),
    "surveys:staff_texts": staff_survey_row(city=CITY_ADMINS | {"reporter"}),
    "surveys:export_csv": staff_survey_row(city=CITY_ADMINS | {"reporter"}),
    "surveys:export_xlsx": staff_survey_row(city=CITY_ADMINS | {"reporter"}),
    "surveys:moderation": hearing_row((GET,), lambda hearing, comment: {"slug": hearing.slug}),
    "surveys:moderate": hearing_row(
        (POST,),
        lambda hearing, comment: {"slug": hearing.slug, "comment_id": comment.pk, "action": "hide"},
        data=lambda w: {"reason": "Asiaton"},
        effect=hidden,
    ),

    # surveys, the builder (surveys.permissions.may_build)
    "surveys:builder_list": view(SURVEYS_ANYWHERE),
    "surveys:builder_new": view(SURVEYS_ANYWHERE, (GET, POST)),
    "surveys:builder": builder_row((GET,), lambda w, s: {"survey_id": s.pk}),
    "surveys:builder_settings": builder_row((GET, POST), lambda w, s: {"survey_id": s.pk}),
    "surveys:builder_preview": builder_row((GET, POST), lambda w, s: {"survey_id": s.pk}),
    "surveys:builder_action": builder_row(
        (POST,), lambda w, s: {"survey_id": s.pk, "action": "close"}
    ),
    "surveys:builder_page_add": builder_row((POST,), lambda w, s: {"survey_id": s.pk}),
    "surveys:builder_page": builder_row(
        (GET, POST), lambda w, s: {"survey_id": s.pk, "page_id": s.page.pk}
    ),
    "surveys:builder_page_move": builder_row(
        (POST,), lambda w, s: {"survey_id": s.pk, "page_id": s.page.pk}
    ),
    "surveys:builder_page_delete": builder_row(
        (GET, POST), lambda w, s: {"survey_id": s.pk, "page_id": s.page.pk}
    ),
    "surveys:builder_question_add": builder_row(
        (GET, POST), lambda w, s: {"survey_id": s.pk, "page_id": s.page.pk}
    ),
    "surveys:builder_question": builder_row(
        (GET, POST), lambda w, s: {"survey_id": s.pk, "question_id": s.question.pk}
    ),
    "surveys:builder_question_kind": builder_row(
        (POST,), lambda w, s: {"survey_id": s.pk, "question_id": s.question.pk}
    ),
    "surveys:builder_question_move": builder_row(
        (POST,), lambda w, s: {"survey_id": s.pk, "question_id": s.question.pk}
    ),
    "surveys:builder_question_delete": builder_row(
        (GET, POST), lambda w, s: {"survey_id": s.pk, "question_id": s.question.pk}
    ),
    "surveys:builder_option_add": builder_row(
        (POST,), lambda w, s: {"survey_id": s.pk, "question_id": s.question.pk}
    ),
    "surveys:builder_option": builder_row(
        (GET, POST),
        lambda w, s: {"survey_id": s.pk, "question_id": s.question.pk, "option_id": s.option.pk},
    ),
    "surveys:builder_option_move": builder_row(
        (POST,),
        lambda w, s: {"survey_id": s.pk, "question_id": s.question.pk, "option_id": s.option.pk},
    ),
    "surveys:builder_option_delete": builder_row(
        (GET, POST),
        lambda w, s: {"survey_id": s.pk, "question_id": s.question.pk, "option_id": s.option.pk},
    ),
    "surveys:builder_condition_add": builder_row(
        (POST,),
        lambda w, s: {"survey_id": s.pk, "question_id": s.condition.question_id},
    ),
    "surveys:builder_condition_delete": builder_row(
        (GET, POST),
        lambda w, s: {
            "survey_id": s.pk,
            "question_id": s.condition.question_id,
            "condition_id": s.condition.pk,
        },
    ),

    # initiatives, residents and authors: a draft is its authors' (and the city coach's
    # helping them when they asked for help), the rest public.
    "initiatives:list": view(EVERYONE),
    "initiatives:new": view(SIGNED_IN, (GET, POST)),
    "initiatives:my": view(SIGNED_IN),
    "initiatives:detail": cases(
        draft=Case(RESIDENT, kwargs=initiative("draft")),
        **{
            "draft asking for help": Case(
                RESIDENT | {"coach"}, kwargs=initiative("draft_helped")
            ),
            "collecting support": Case(EVERYONE, kwargs=initiative("collecting")),
            "sent": Case(EVERYONE, kwargs=initiative("sent_east")),
        },
    ),
    "initiatives:edit": view(RESIDENT, (GET, POST), kwargs=initiative("draft")),
    "initiatives:delete": view(
        RESIDENT, (POST,), kwargs=initiative("draft"),
        effect=lambda w: type(w.draft).objects.filter(pk=w.draft.pk).exists(),
    ),
    "initiatives:publish": view(
        RESIDENT, (POST,), kwargs=initiative("draft"), effect=initiative_state("draft")
    ),
    "initiatives:send": view(
        RESIDENT, (GET, POST), kwargs=initiative("draft"), data=lambda w: {"confirm": "on"},
        effect=initiative_state("draft"),
    ),
    "initiatives:withdraw": view(
        RESIDENT, (GET, POST), kwargs=initiative("collecting"),
        data=lambda w: {"reason": "Asia ratkesi."}, effect=initiative_state("collecting"),
    ),
    "initiatives:help": view(RESIDENT, (GET, POST), kwargs=initiative("draft")),
    "initiatives:invite": view(
        RESIDENT, (POST,), kwargs=initiative("draft"), data=lambda w: {"email": "uusi@example.fi"},
        effect=lambda w: w.draft.invitations.count(),
    ),
    "initiatives:invitation_cancel": view(
        RESIDENT, (POST,),
        kwargs=lambda w: {"pk": w.draft.pk, "invitation": w.invitation.pk},
        effect=lambda w: w.draft.invitations.count(),
    ),
    # The e-mailed link is the credential: whoever holds it may join once signed in (the
    # resident is an author already).
    "initiatives:invitation": view(
        {GET: EVERYONE, POST: SIGNED_IN - RESIDENT}, (GET, POST),
        kwargs=lambda w: {"token": w.invitation_token},
        data=lambda w: {"kind": "resident", "public_name": "Kirjoittaja"},
        effect=lambda w: w.draft.authors.count(),
    ),
    # Supporting needs strong identification: of the principals only the resident has it.
    "initiatives:support": view(
        RESIDENT, (POST,), kwargs=initiative("others"),
        effect=lambda w: w.others.supports.count(),
    ),
    "initiatives:support_withdraw": view(
        RESIDENT, (POST,), kwargs=initiative("collecting"),
        effect=lambda w: w.collecting.supports.count(),
    ),
    "initiatives:follow": view(
        SIGNED_IN, (POST,), kwargs=initiative("collecting"),
        effect=lambda w: w.collecting.followers.count(),
    ),
    # One's own following only: the resident follows the initiative.
    "initiatives:unfollow": view(
        RESIDENT, (POST,), kwargs=initiative("others"),
        effect=lambda w: w.others.followers.count(),
    ),
    # The link in a follower's e-mail, without logging in.
    "initiatives:unsubscribe": view(
        EVERYONE, (GET, POST), kwargs=lambda w: {"token": w.follower.token},
        effect=lambda w: w.others.followers.count(),
    ),
    # The council's report is public.
    "initiatives:report_index": view(EVERYONE),
    **{
        f"initiatives:{name}": view(
            EVERYONE,
            kwargs=lambda w: {"year": w.report_period.year, "half": w.report_period.half},
        )
        for name in ("report", "report_csv", "report_xlsx")
    },

    # initiatives, staff (initiatives.permissions)
    # City coaches are sent on to their own queue.
    "initiatives:staff_queue": view(HANDLE_ANYWHERE | COACHES),
    "initiatives:coach_queue": view(COACHES),
    "initiatives:staff_initiative": handling_row((GET,)),
    **{
        f"initiatives:staff_{name}": handling_row()
        for name in (
            "register", "prepare", "decide", "end", "deadline", "attachment", "coach", "paper"
        )
    },
    # A second member of staff checks a batch of paper supports: not who entered it (the
    # Eastern registry).
    "initiatives:staff_paper_confirm": view(
        CITY_ADMINS, (POST,), kwargs=support_batch,
        data=lambda w: {f"confirm{w.support_batch.pk}-valid_counted": w.support_batch.valid},
        effect=support_batch_checked,
    ),
    "initiatives:staff_paper_return": view(
        CITY_ADMINS, (POST,), kwargs=support_batch,
        data=lambda w: {f"return{w.support_batch.pk}-reason": "Listoja puuttuu."},
        effect=support_batch_checked,
    ),

    # feedback, residents: public feedback to everyone, one's own to its sender.
    "feedback:list": view(EVERYONE),
    "feedback:new": view(EVERYONE),
    "feedback:new_in": view(
        EVERYONE, (GET, POST), kwargs=lambda w: {"code": w.category.code}
    ),
    # The receipt of feedback sent without signing in: whoever holds its token.
    "feedback:sent": view(EVERYONE, kwargs=lambda w: {"token": w.feedback_waiting.token}),
    "feedback:my": view(SIGNED_IN),
    "feedback:statistics": view(EVERYONE),
    "feedback:detail": cases(
        public=Case(EVERYONE, kwargs=feedback("feedback_east")),
        **{
            "the resident's, waiting for moderation": Case(
                RESIDENT, kwargs=feedback("feedback_mine_waiting")
            ),
            # Staff moderate it on its staff page; no public page shows it.
            "another's, waiting for moderation": Case(
                NOBODY, kwargs=feedback("feedback_waiting")
            ),
        },
    ),
    "feedback:follow": cases(
        (POST,),
        public=Case(
            SIGNED_IN, kwargs=feedback("feedback_done"), effect=followers("feedback_done")
        ),
        **{
            "waiting for moderation": Case(
                NOBODY,
                kwargs=feedback("feedback_mine_waiting"),
                effect=followers("feedback_mine_waiting"),
            ),
        },
    ),
    # One's own following only: the resident follows it.
    "feedback:unfollow": view(
        RESIDENT, (POST,), kwargs=feedback("feedback_east"), effect=followers("feedback_east")
    ),
    # Its sender, within 30 days of its being marked done.
    "feedback:reopen": view(
        RESIDENT, (POST,), kwargs=feedback("feedback_done"),
        data=lambda w: {"reason": "Valo on yhä pimeänä."},
        effect=feedback_read("feedback_done", "status"),
    ),

    # feedback, staff (feedback.permissions)
    "feedback:staff_queue": view(FEEDBACK_DESK),
    "feedback:staff_feedback": cases(
        (GET, POST),
        **{
            "Eastern feedback": Case(
                FEEDBACK_EAST, kwargs=feedback("feedback_east"),
                data=lambda w: {"action": "answer", "answer-text": "Korjataan ensi viikolla."},
                effect=feedback_read("feedback_east", "answer"),
            ),
            "feedback of an unknown district": Case(
                CITY_ADMINS, kwargs=feedback("feedback_unknown_place"),
                data=lambda w: {"action": "answer", "answer-text": "Korjataan ensi viikolla."},
                effect=feedback_read("feedback_unknown_place", "answer"),
            ),
        },
    ),
    "feedback:staff_api_keys": view(CITY_ADMINS, (GET, POST)),
    "feedback:staff_revoke_key": view(
        CITY_ADMINS, (POST,), kwargs=lambda w: {"pk": w.api_key.pk},
        effect=lambda w: type(w.api_key).objects.get(pk=w.api_key.pk).revoked_at,
    ),
    "feedback:staff_members": view(CITY_ADMINS, (GET, POST)),
    "feedback:staff_remove_member": view(
        CITY_ADMINS, (POST,), kwargs=lambda w: {"pk": w.member_west.pk},
        effect=lambda w: type(w.member_west).objects.filter(pk=w.member_west.pk).exists(),
    ),

    # Open311 GeoReport v2: public reads; sending needs a key issued by city
    # administrators, which is the credential (no session is asked).
    "open311-discovery": view(EVERYONE, kwargs=open311()),
    "open311-services": view(EVERYONE, kwargs=open311()),
    "open311-service": view(EVERYONE, kwargs=open311(code=lambda w: w.category.code)),
    "open311-requests": cases(
        (GET, POST),
        **{
            "with a key": Case(
                EVERYONE, kwargs=open311(),
                data=lambda w: open311_post(w, api_key=w.api_key_secret),
                effect=feedback_count,
            ),
            "without a key": Case(
                {GET: EVERYONE, POST: NOBODY}, kwargs=open311(), data=open311_post,
                effect=feedback_count,
            ),
        },
    ),
    "open311-request": cases(
        public=Case(EVERYONE, kwargs=open311(pk=lambda w: w.feedback_east.pk)),
        **{
            "waiting for moderation": Case(
                NOBODY, kwargs=open311(pk=lambda w: w.feedback_waiting.pk)
            ),
        },
    ),
    "open311-token": view(EVERYONE, kwargs=open311(token=lambda w: w.feedback_east.token)),
    "open311-statistics": view(EVERYONE, kwargs=open311()),
    "open311-not-found": view(NOBODY, kwargs=lambda w: {"path": "v2/nothing.json"}),

    # districts and coaches, residents: the district pages and booking are open to
    # anyone; the e-mailed link is the credential for a meeting's pages.
    "districts:index": view(EVERYONE),
    "districts:page": view(EVERYONE, kwargs=lambda w: {"district": w.east.slug}),
    "districts:feed": view(EVERYONE, kwargs=lambda w: {"district": w.east.slug}),
    "districts:book": view(
        EVERYONE, (GET, POST),
        kwargs=lambda w: {"district": w.east.slug, "coach": w.coach_profile.slug},
        query=lambda w: {"at": w.slot_key}, data=lambda w: {"at": w.slot_key},
    ),
    "districts:ask": view(SIGNED_IN, (GET, POST), kwargs=lambda w: {"district": w.east.slug}),
    "districts:ask_business": view(
        SIGNED_IN, (GET, POST), kwargs=lambda w: {"district": w.east.slug}
    ),
    "coaches:check_email": view(EVERYONE),
    "coaches:appointment": view(EVERYONE, kwargs=lambda w: {"token": w.appointment_token}),
    "coaches:appointment_confirm": view(
        EVERYONE, (GET, POST), kwargs=lambda w: {"token": w.appointment_token}
    ),
    "coaches:appointment_cancel": view(
        EVERYONE, (GET, POST), kwargs=lambda w: {"token": w.appointment_token},
        effect=lambda w: type(w.appointment).objects.get(pk=w.appointment.pk).state,
    ),
    "coaches:appointment_move": view(
        EVERYONE, (GET, POST), kwargs=lambda w: {"token": w.appointment_token},
        data=lambda w: {"at": w.slot_key},
        effect=lambda w: type(w.appointment).objects.get(pk=w.appointment.pk).begins_at,
    ),
    "coaches:appointment_ics": view(EVERYONE, kwargs=lambda w: {"token": w.appointment_token}),
    "coaches:my_requests": view(SIGNED_IN),
    # One's own question: the resident asked it.
    "coaches:my_request": view(
        RESIDENT, (GET, POST), kwargs=lambda w: {"pk": w.coach_request.pk},
        data=lambda w: {"body": "Kiitos!"}, effect=lambda w: w.coach_request.messages.count(),
    ),
    "coaches:my_request_close": view(
        RESIDENT, (POST,), kwargs=lambda w: {"pk": w.coach_request.pk},
        effect=lambda w: type(w.coach_request).objects.get(pk=w.coach_request.pk).status,
    ),
    "coaches:event": view(EVERYONE, kwargs=lambda w: {"pk": w.coach_event.pk}),
    "coaches:event_ics": view(EVERYONE, kwargs=lambda w: {"pk": w.coach_event.pk}),
    # Anyone signed in signs up once: the resident has already.
    "coaches:event_sign_up": view(
        SIGNED_IN - RESIDENT, (POST,), kwargs=lambda w: {"pk": w.coach_event.pk},
        effect=lambda w: w.coach_event.signups.filter(cancelled_at__isnull=True).count(),
    ),
    "coaches:event_cancel_sign_up": view(
        RESIDENT, (POST,), kwargs=lambda w: {"pk": w.coach_event.pk},
        effect=lambda w: w.coach_event.signups.filter(cancelled_at__isnull=True).count(),
    ),

    # coaches, staff (coaches.permissions)
    "coaches:desk": view(COACH_DESK),
    "coaches:desk_requests": view(COACH_DESK),
    # The resident's question to the Eastern city coach.
    "coaches:desk_request": view(
        CITY_COACH_EAST, (GET, POST), kwargs=lambda w: {"pk": w.coach_request.pk},
        data=lambda w: {"action": "note", "note-note": "Soitan huomenna."},
        effect=lambda w: w.coach_request.notes.count(),
    ),
    "coaches:desk_appointment": view(
        CITY_COACH_EAST, (GET, POST), kwargs=lambda w: {"pk": w.appointment.pk},
        data=lambda w: {"action": "cancel", "cancel-reason": "Sairastuin."},
        effect=lambda w: type(w.appointment).objects.get(pk=w.appointment.pk).state,
    ),
    "coaches:desk_page": view(COACH_DESK, (GET, POST)),
    "coaches:desk_hours": view(COACH_DESK, (GET, POST)),
    # A coach's own office hours, or a city administrator's choice of coach.
    "coaches:desk_hours_end": view(
        CITY_COACH_EAST, (POST,), kwargs=lambda w: {"pk": w.coach_hours.pk},
        data=lambda w: {"coach": w.coach_profile.slug, "last_day": w.coach_hours.valid_from},
        effect=lambda w: type(w.coach_hours).objects.filter(pk=w.coach_hours.pk)
        .values_list("valid_until", flat=True).first(),
    ),
    "coaches:desk_exception_remove": view(
        CITY_COACH_EAST, (POST,), kwargs=lambda w: {"pk": w.coach_exception.pk},
        data=lambda w: {"coach": w.coach_profile.slug},
        effect=lambda w: type(w.coach_exception).objects.filter(pk=w.coach_exception.pk).exists(),
    ),
    "coaches:desk_events": view(COACH_DESK),
    "coaches:desk_event_new": view(COACH_DESK, (GET, POST)),
    "coaches:desk_event": view(
        EVENTS_EAST, (GET, POST), kwargs=lambda w: {"pk": w.coach_event.pk},
        data=lambda w: {"action": "cancel", "cancel-reason": "Sali ei ole käytössä."},
        effect=lambda w: type(w.coach_event).objects.get(pk=w.coach_event.pk).cancelled_at,
    ),
    "coaches:desk_companies": view(
        {GET: CITY_ADMINS | {"business_coach", "reporter"}, POST: CITY_ADMINS | {"business_coach"}},
        (GET, POST),
    ),
    "coaches:desk_activity": view(COACH_DESK | {"reporter"}),
    # volunteering, residents: published tasks of verified organisers are public; signing
    # up, one's own sign-ups, hours and talkoot need logging in.
    "volunteering:search": view(EVERYONE),
    "volunteering:opportunity": cases(
        published=Case(EVERYONE, kwargs=lambda w: {"pk": w.opportunity.pk}),
        draft=Case(NOBODY, kwargs=lambda w: {"pk": w.draft_opportunity.pk}),
    ),
    "volunteering:organiser": cases(
        verified=Case(EVERYONE, kwargs=organiser_slug),
        **{
            "waiting for verification": Case(
                NOBODY, kwargs=lambda w: {"slug": w.pending_organiser.slug}
            )
        },
    ),
    "volunteering:shift_ics": view(EVERYONE, kwargs=lambda w: {"pk": w.shift.pk}),
    "volunteering:sign_up": view(SIGNED_IN, (GET, POST), kwargs=lambda w: {"pk": w.shift.pk}),
    "volunteering:mine": view(SIGNED_IN),
    "volunteering:certificate": view(SIGNED_IN),
    "volunteering:signup": view(RESIDENT, kwargs=lambda w: {"pk": w.signup.pk}),
    "volunteering:signup_cancel": view(
        RESIDENT, (POST,), kwargs=lambda w: {"pk": w.signup.pk}, effect=status_of("signup")
    ),
    # The e-mailed link is the guardian's credential: whoever holds it answers.
    "volunteering:guardian": view(
        EVERYONE, (GET, POST), kwargs=lambda w: {"token": w.guardian_token},
        data=lambda w: {"action": "consent"}, effect=status_of("teen_signup"),
    ),
    "volunteering:talkoot_list": view(EVERYONE),
    "volunteering:talkoot_new": view(SIGNED_IN, (GET, POST)),
    "volunteering:talkoot": cases(
        approved=Case(EVERYONE, kwargs=lambda w: {"pk": w.talkoot_approved.pk}),
        **{
            "the resident's, waiting": Case(RESIDENT, kwargs=lambda w: {"pk": w.talkoot.pk}),
        },
    ),
    "volunteering:talkoot_cancel": view(
        RESIDENT, (POST,), kwargs=lambda w: {"pk": w.talkoot.pk}, effect=status_of("talkoot")
    ),
    # Whoever follows an organiser's invitation while logged in becomes a member.
    "volunteering:invitation": view(
        SIGNED_IN, (GET, POST), kwargs=lambda w: {"token": w.volunteering_invitation_token},
        effect=lambda w: type(w.volunteering_invitation).objects.get(
            pk=w.volunteering_invitation.pk
        ).accepted_at,
    ),

    # volunteering, organisers: anyone logged in may register one; the rest is for its
    # members.
    "volunteering:manage": view(SIGNED_IN),
    "volunteering:organiser_new": view(SIGNED_IN, (GET, POST)),
    "volunteering:manage_organiser": view(RESIDENT, (GET, POST), kwargs=organiser_slug),
    "volunteering:organiser_edit": view(RESIDENT, (GET, POST), kwargs=organiser_slug),
    "volunteering:member_remove": view(
        RESIDENT, (POST,),
        kwargs=lambda w: {"slug": w.organiser.slug, "user_pk": w.co_member.pk},
        effect=lambda w: w.organiser.memberships.count(),
    ),
    "volunteering:opportunity_new": view(RESIDENT, (GET, POST), kwargs=organiser_slug),
    "volunteering:manage_opportunity": view(
        RESIDENT, (GET, POST), kwargs=lambda w: {"pk": w.opportunity.pk}
    ),
    "volunteering:opportunity_edit": view(
        RESIDENT, (GET, POST), kwargs=lambda w: {"pk": w.opportunity.pk}
    ),
    "volunteering:opportunity_status": view(
        RESIDENT, (POST,), kwargs=lambda w: {"pk": w.opportunity.pk},
        data=lambda w: {"action": "close"}, effect=status_of("opportunity"),
    ),
    "volunteering:manage_shift": view(RESIDENT, (GET, POST), kwargs=lambda w: {"pk": w.shift.pk}),
    "volunteering:shift_edit": view(RESIDENT, (GET, POST), kwargs=lambda w: {"pk": w.shift.pk}),
    "volunteering:shift_cancel": view(
        RESIDENT, (POST,), kwargs=lambda w: {"pk": w.shift.pk},
        data=lambda w: {"cancel-reason": "Myrsky"}, effect=status_of("shift"),
    ),
    "volunteering:shift_message": view(
        RESIDENT, (GET, POST), kwargs=lambda w: {"pk": w.shift.pk}
    ),
    "volunteering:signup_remove": view(
        RESIDENT, (GET, POST), kwargs=lambda w: {"pk": w.teen_signup.pk},
        data=lambda w: {"reason": "Ei tilaa"}, effect=status_of("teen_signup"),
    ),

    # volunteering, staff (volunteering.permissions)
    "volunteering:staff": view(VOLUNTEERING_DESK),
    "volunteering:staff_organiser": cases(
        (GET, POST),
        **{
            "Eastern organiser": Case(
                VERIFY_EAST, kwargs=lambda w: {"pk": w.pending_organiser.pk},
                data=lambda w: {"action": "approve"}, effect=status_of("pending_organiser"),
            ),
            "city-wide organiser": Case(
                CITY_ADMINS, kwargs=lambda w: {"pk": w.pending_city_organiser.pk},
                data=lambda w: {"action": "approve"},
                effect=status_of("pending_city_organiser"),
            ),
        },
    ),
    "volunteering:staff_talkoot": view(
        TALKOOT_EAST, (GET, POST), kwargs=lambda w: {"pk": w.talkoot.pk},
        data=lambda w: {"action": "approve"}, effect=status_of("talkoot"),
    ),
    "volunteering:staff_figures": view(VOLUNTEERING_FIGURES),

    # monitoring, public
    "monitoring:dashboard": view(EVERYONE),
    "monitoring:definitions": view(EVERYONE),
    "monitoring:equality": view(EVERYONE),
    "monitoring:indicator": view(EVERYONE, kwargs=lambda w: {"key": "budgeting-voters"}),
    "monitoring:download_csv": view(EVERYONE),
    "monitoring:download_xlsx": view(EVERYONE),
    "monitoring:reports": view(EVERYONE),
    "monitoring:report_public_pdf": view(EVERYONE, kwargs=lambda w: {"pk": w.committee_report.pk}),
    # monitoring, staff
    "monitoring:staff": cases(
        **{
            "whole city": Case(MONITORING_CITY),
            "Eastern district": Case(
                MONITORING_CITY | {"coach"}, query=lambda w: {"district": w.east.slug}
            ),
        }
    ),
    "monitoring:plans": view(MONITORING_REPORTS),
    "monitoring:plan_new": view(MONITORING_REPORTS, (GET, POST)),
    "monitoring:plan": view(
        MONITORING_REPORTS, (GET, POST), kwargs=lambda w: {"pk": w.participation_plan.pk}
    ),
    "monitoring:plan_edit": view(
        MONITORING_REPORTS, (GET, POST), kwargs=lambda w: {"pk": w.participation_plan.pk}
    ),
    "monitoring:goal_remove": view(
        MONITORING_REPORTS, (POST,), kwargs=lambda w: {"pk": w.goal.pk},
        effect=lambda w: type(w.goal).objects.filter(pk=w.goal.pk).exists(),
    ),
    "monitoring:report_new": view(
        MONITORING_REPORTS, (GET, POST), kwargs=lambda w: {"plan": w.participation_plan.pk}
    ),
    "monitoring:report": view(
        MONITORING_REPORTS, (GET, POST), kwargs=lambda w: {"pk": w.committee_report.pk}
    ),
    "monitoring:report_pdf": view(
        MONITORING_REPORTS, kwargs=lambda w: {"pk": w.committee_report.pk}
    ),
    "monitoring:report_csv": view(
        MONITORING_REPORTS, kwargs=lambda w: {"pk": w.committee_report.pk}
    ),
    "monitoring:report_xlsx": view(
        MONITORING_REPORTS, kwargs=lambda w: {"pk": w.committee_report.pk}
    ),

    # premises, residents
    "premises:search": view(EVERYONE),
    "premises:space": view(EVERYONE, kwargs=lambda w: {"slug": w.space.slug}),
    "premises:book": view(SIGNED_IN, (GET, POST), kwargs=lambda w: {"slug": w.space.slug}),
    "premises:series_new": view(
        SIGNED_IN, (GET, POST), kwargs=lambda w: {"slug": w.space.slug}
    ),
    "premises:my_bookings": view(SIGNED_IN),
    "premises:feed_renew": view(SIGNED_IN, (POST,)),
    "premises:booking": view(RESIDENT, kwargs=lambda w: {"pk": w.booking.pk}),
    "premises:booking_cancel": view(RESIDENT, (GET, POST), kwargs=lambda w: {"pk": w.booking.pk}),
    "premises:booking_ics": view(RESIDENT, kwargs=lambda w: {"pk": w.booking.pk}),
    "premises:series": view(RESIDENT, kwargs=lambda w: {"pk": w.series.pk}),
    "premises:series_cancel": view(RESIDENT, (POST,), kwargs=lambda w: {"pk": w.series.pk}),
    # Whoever holds the private address.
    "premises:feed": view(EVERYONE, kwargs=lambda w: {"token": w.feed.token}),

    # premises, staff (premises.selectors.managed_units)
    "premises:staff": view(PREMISES_DESK),
    "premises:staff_queue": view(PREMISES_DESK),
    "premises:staff_booking": view(
        PREMISES_EAST, (GET, POST), kwargs=lambda w: {"pk": w.booking.pk},
        data=lambda w: {"action": "approve"},
        effect=lambda w: type(w.booking).objects.get(pk=w.booking.pk).state,
    ),
    "premises:staff_schedule": view(PREMISES_EAST, kwargs=lambda w: {"slug": w.unit.slug}),
    "premises:staff_blocked": view(
        PREMISES_EAST, (GET, POST), kwargs=lambda w: {"slug": w.unit.slug}
    ),
    "premises:staff_unblock": view(
        PREMISES_EAST, (POST,), kwargs=lambda w: {"pk": w.block.pk},
        effect=lambda w: type(w.block).objects.get(pk=w.block.pk).state,
    ),
}
# fmt: on


# The admin


def registered_models():
    return [model for model in apps.get_models() if admin.site.is_registered(model)]


ADMIN_MODEL_VIEWS = ("changelist", "add", "change", "history", "delete")
# On the admin's pages of a model: the superuser's business; and principals the admin
# cannot tell apart from others asked: it knows no districts, and it refuses everyone
# without the second factor alike, before any page of a model (the admin:index row
# asks each of them). Leaving them out halves the time of the admin's rows.
ADMIN_MODEL_UNCHECKED = frozenset(
    {"superuser"}
    | {p for p in PRINCIPALS if p.endswith("_west")}
    | {p for p in PRINCIPALS if p.endswith("_no2fa")} - {"city_admin_no2fa", "superuser_no2fa"}
)


def _admin_object_id(w, model):
    first = model.objects.order_by("pk").first()
    return first.pk if first is not None else 0


def admin_rows():
    """Rows for the admin's pages of every registered model, made from the registry."""
    rows = {}
    for model in registered_models():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"

        def object_kwargs(w, model=model):
            return {"object_id": _admin_object_id(w, model)}

        for suffix in ADMIN_MODEL_VIEWS:
            kwargs = object_kwargs if suffix in ("change", "history", "delete") else (lambda w: {})
            # A missing object or a refused one: back to the index.
            rows[f"{name}_{suffix}"] = view(
                NOBODY,
                (GET, POST),
                kwargs=kwargs,
                unchecked=ADMIN_MODEL_UNCHECKED,
                refused_to=("admin:index",),
            )

        def object_path(w, opts=opts, model=model):
            return f"admin/{opts.app_label}/{opts.model_name}/{_admin_object_id(w, model)}/"

        # The object's bare address sends staff on to its change page, whose row holds.
        rows[f"admin/{opts.app_label}/{opts.model_name}/<path:object_id>/"] = view(
            STAFF_PAST_SECOND_FACTOR, (GET, POST), path=object_path, unchecked=ADMIN_MODEL_UNCHECKED
        )
    return rows


# Pages of the admin site itself; every one needs staff past the second factor.
ADMIN_SITE = {
    # Staff past the second factor see the index, listing only what their Django
    # permissions give; staff roles give none.
    "admin:index": view(STAFF_PAST_SECOND_FACTOR, (GET, POST)),
    # The admin has no login of its own: the site's login and second step, then back.
    "admin:login": view(STAFF_PAST_SECOND_FACTOR, (GET, POST)),
    # Anyone else is sent to the index, and from there to log in.
    "admin:logout": view(STAFF_PAST_SECOND_FACTOR, (POST,), refused_to=("admin:index",)),
    "admin:password_change": view(STAFF_PAST_SECOND_FACTOR, (GET, POST)),
    "admin:password_change_done": view(STAFF_PAST_SECOND_FACTOR),
    "admin:autocomplete": view(NOBODY, unchecked={"superuser"}),
    "admin:jsi18n": view(STAFF_PAST_SECOND_FACTOR),
    "admin:view_on_site": view(
        NOBODY,
        (GET, POST),
        kwargs=lambda w: {"content_type_id": 0, "object_id": 0},
        unchecked={"superuser"},
    ),
    "admin:app_list": view(
        NOBODY, (GET, POST), kwargs=lambda w: {"app_label": "budgeting"}, unchecked={"superuser"}
    ),
    # Any other address under the admin: refused, or for the superuser a 404.
    "admin/(?P<url>.*)$": view(NOBODY, (GET, POST), path=lambda w: "admin/no-such-page/"),
}


def _published_key(resource):
    """The id of an object the resource publishes; the world must hold one."""
    found = resource.queryset().order_by(*resource.ordering).first()
    assert found is not None, f"tests/core/world.py has nothing {resource.name} publishes"
    return getattr(found, resource.lookup)


def _unpublished_key(resource):
    """The id of an object of the model the resource does not publish (a draft, a hidden
    comment), or of nothing at all."""
    hidden = resource.model.objects.exclude(pk__in=resource.queryset().values("pk"))
    found = hidden.order_by("pk").first()
    if found is None:
        return "0" if resource.lookup == "pk" else "no-such-thing"
    return getattr(found, resource.lookup)


def opendata_rows():
    """The open data API: anyone reads what is published, nobody what is not."""
    rows = {
        "api-v1:root": view(EVERYONE),
        "api-v1:schema": view(EVERYONE),
        "api-v1:catalog": view(EVERYONE),
        "api-v1:not-found": view(NOBODY, kwargs=lambda w: {"path": "no-such-thing/"}),
        "opendata:page": view(EVERYONE),
        "opendata:api_docs": view(EVERYONE),
        # Only files of the last export are served (tests/opendata/test_pages.py).
        "opendata-download": view(NOBODY, kwargs=lambda w: {"name": "no-such-file.zip"}),
    }
    for resource in opendata_resources.resources():
        rows[f"api-v1:{resource.basename}-list"] = view(EVERYONE)
        detail = {
            "unpublished": Case(NOBODY, kwargs=lambda w, r=resource: {"key": _unpublished_key(r)})
        }
        if resource.name not in OPENDATA_NOT_IN_THE_WORLD:
            detail["published"] = Case(
                EVERYONE, kwargs=lambda w, r=resource: {"key": _published_key(r)}
            )
        rows[f"api-v1:{resource.basename}-detail"] = cases(**detail)
    return rows


# Resources of which the world has nothing published (tests/opendata covers them).
OPENDATA_NOT_IN_THE_WORLD = {
    "budgeting/plan-images",
    "budgeting/plan-updates",
    "budgeting/proposal-images",
    "entitled-voters",
    "feedback/attribute-values",
    "feedback/attributes",
    "feedback/events",
    "feedback/photos",
    "initiatives/attachments",
    "premises/opening-exceptions",
    "premises/space-photos",
    "premises/unit-photos",
    "surveys/section-attachments",
    "surveys/section-images",
}


@functools.cache
def every_row():
    return {**MATRIX, **ADMIN_SITE, **admin_rows(), **opendata_rows()}


# The URL configuration


@dataclass(frozen=True)
class Pattern:
    key: str
    """The URL's name with its namespaces; for an unnamed pattern its route."""
    route: str
    localised: bool
    """Under ``i18n_patterns``: the path starts with the language."""


@functools.cache
def url_patterns():
    """Every URL pattern of the site, from the resolver."""

    def walk(patterns, route, namespace, localised):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = isinstance(entry.pattern, LocalePrefixPattern)
                yield from walk(
                    entry.url_patterns,
                    route + ("" if inner else str(entry.pattern)),
                    namespace + (f"{entry.namespace}:" if entry.namespace else ""),
                    localised or inner,
                )
            elif isinstance(entry, URLPattern):
                full = route + str(entry.pattern)
                key = f"{namespace}{entry.name}" if entry.name else full
                yield Pattern(key=key, route=full, localised=localised)

    return tuple(walk(get_resolver().url_patterns, "", "", False))


def path_of(pattern, case, world, language):
    if case.path is not None:
        suffix = case.path(world)
        return f"/{language}/{suffix}" if pattern.localised else f"/{suffix}"
    with translation.override(language):
        return reverse(pattern.key, kwargs=case.kwargs(world))


# Running the requests


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


SECOND_STEP = ("accounts:login", "accounts:mfa_verify", "accounts:mfa_setup", "admin:login")


@functools.cache
def _second_step_paths():
    paths = set()
    for language in LANGUAGES:
        with translation.override(language):
            paths.update(reverse(name) for name in SECOND_STEP)
    return frozenset(paths)


def _refusal_paths(case, world):
    paths = set(_second_step_paths())
    for entry in case.refused_to:
        name, kwargs = (entry, None) if isinstance(entry, str) else (entry[0], entry[1](world))
        for language in LANGUAGES:
            with translation.override(language):
                paths.add(reverse(name, kwargs=kwargs))
    return paths


def outcome(response, case, world):
    """``"allowed"``, ``"denied"`` or the reason the answer is neither."""
    status = response.status_code
    if status in (403, 404):
        return "denied"
    if status in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"]).path
        return "denied" if target in _refusal_paths(case, world) else "allowed"
    if 200 <= status < 300 or status == 400:
        return "allowed"
    return f"answered {status}"


def request_as(world, principal, method, path, case):
    """The principal's answer, in a savepoint of its own so that nobody sees what an
    earlier principal's request changed."""
    cache.clear()
    effect = case.effect if method == POST else None
    with transaction.atomic():
        client = sign_in(Client(), world, principal)
        before = effect(world) if effect else None
        try:
            if method == GET:
                response = client.get(path, case.query(world))
            else:
                response = client.post(path, case.data(world))
        except Exception as error:  # reported per cell, with the rest of the row
            transaction.set_rollback(True)
            return None, f"raised {type(error).__name__}: {error}"
        got = outcome(response, case, world)
        if effect and got in ("allowed", "denied"):
            changed = effect(world) != before
            if got == "denied" and changed:
                got = "refused, yet the change was made"
            elif not changed:
                got = "denied"
        transaction.set_rollback(True)
    return response, got


def _cells():
    """One test per row, case and method, in the languages by turns."""
    patterns = {pattern.key: pattern for pattern in url_patterns()}
    number = 0
    for key, row in every_row().items():
        if key not in patterns:
            continue  # test_every_row_has_a_url says so
        for label, case in row.cases.items():
            for method in row.methods:
                language = LANGUAGES[number % len(LANGUAGES)]
                number += 1
                name = f"{key}{f'[{label}]' if label else ''} {method} {language}"
                checked = [p for p in PRINCIPALS if p not in case.unchecked]
                yield pytest.param(key, label, method, language, checked, id=name)


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "label", "method", "language", "principals"), list(_cells()))
def test_who_may_use_the_url(world, key, label, method, language, principals):
    pattern = next(p for p in url_patterns() if p.key == key)
    case = every_row()[key].cases[label]
    path = path_of(pattern, case, world, language)
    allowed = case.allowed_for(method)
    wrong = []
    for principal in principals:
        response, got = request_as(world, principal, method, path, case)
        expected = "allowed" if principal in allowed else "denied"
        if got != expected:
            detail = f" ({response.status_code} {response.get('Location', '')})" if response else ""
            wrong.append(f"  {principal}: expected {expected}, {got}{detail}")
    assert not wrong, (
        f"{method} {path} ({key}{f' [{label}]' if label else ''}):\n"
        + "\n".join(wrong)
        + f"\nFix the view, or if its rule changed on purpose, its row {key!r} in MATRIX "
        "(tests/core/test_permission_matrix.py)."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(every_row()))
def test_the_row_lists_every_method_the_view_takes(world, key):
    """A method missing from a row would never be tried: an allowed principal gets 405
    for GET or POST when the row does not list it."""
    row = every_row()[key]
    pattern = next((p for p in url_patterns() if p.key == key), None)
    if pattern is None:
        pytest.skip("no such URL; test_every_row_has_a_url says so")
    for case in row.cases.values():
        path = path_of(pattern, case, world, LANGUAGES[0])
        principal = next(
            (
                p
                for p in PRINCIPALS
                if all(p in case.allowed_for(m) or p in case.unchecked for m in row.methods)
            ),
            None,
        )
        if principal is None:
            continue
        for method in {GET, POST} - set(row.methods):
            response, _got = request_as(world, principal, method, path, case)
            assert response is not None and response.status_code == 405, (
                f"{method} {path} as {principal} answered "
                f"{response.status_code if response else _got}: add {method} to the methods "
                f"of the row {key!r}, with the principals allowed to use it."
            )


def test_every_url_has_a_row():
    rows = every_row()
    missing = sorted({p.key for p in url_patterns()} - set(rows))
    assert not missing, (
        "These URLs have no row in MATRIX (tests/core/test_permission_matrix.py): "
        + ", ".join(missing)
        + ". Add a row for each: the methods its view takes and the principals allowed, "
        'e.g. "app:name": view(CITY_ADMINS, (GET, POST), kwargs=lambda w: {...}).'
    )


def test_every_row_has_a_url():
    stale = sorted(set(every_row()) - {p.key for p in url_patterns()})
    assert not stale, f"Rows in MATRIX for URLs that no longer exist: {', '.join(stale)}."


def test_every_localised_url_answers_under_each_language():
    """The matrix requests each URL in one language; the others resolve to the same view."""
    localised = [p for p in url_patterns() if p.localised]
    assert localised
    for pattern in localised:
        route = re.sub(r"<[^>]+>", "1", pattern.route).replace("(?P<url>.*)$", "x")
        views = set()
        for language in LANGUAGES:
            with translation.override(language):
                views.add(resolve(f"/{language}/{route}").func)
        assert len(views) == 1, pattern.route
