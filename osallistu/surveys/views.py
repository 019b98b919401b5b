"""Pages of surveys. Thin: services decide, selectors read.

Answering works without JavaScript: each page is a POST, and the server applies
the display conditions to choose the next page.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import engine, selectors, services, widgets
from .models import Response, Survey

ANSWERED_COOKIE = "surveys_answered"
ANSWERED_SALT = "osallistu.surveys.answered"
ANSWERED_MAX_AGE = 365 * 24 * 3600


def _session_key(survey):
    return f"surveys:response:{survey.pk}"


def _answered_here(request):
    raw = request.get_signed_cookie(ANSWERED_COOKIE, default="", salt=ANSWERED_SALT)
    return {int(part) for part in raw.split(",") if part.isdigit()}


def _current_response(request, survey):
    """The draft or sent response of this person (signed in) or this browser session."""
    if request.user.is_authenticated:
        return selectors.response_of(survey, request.user)
    response_id = request.session.get(_session_key(survey))
    if response_id is None:
        return None
    return Response.objects.filter(pk=response_id, survey=survey, user=None).first()


@require_safe
def survey_list(request):
    return render(request, "surveys/survey_list.html", {"surveys": selectors.listed_surveys()})


@require_safe
def survey_detail(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    response = _current_response(request, survey)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "admission": selectors.admission(survey, request.user),
            "response": response,
            "answered_here": survey.pk in _answered_here(request),
        },
    )


@require_POST
def start(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    try:
        response = services.start_response(
            survey=survey,
            user=request.user,
            client_ip=request.META.get("REMOTE_ADDR", ""),
            answered_in_this_browser=survey.pk in _answered_here(request),
        )
    except services.SurveyError as error:
        messages.error(request, error.message)
        return redirect("surveys:detail", slug=survey.slug)
    if not request.user.is_authenticated:
        request.session[_session_key(survey)] = response.pk
    return redirect("surveys:answer", slug=survey.slug)


def _render_page(request, survey, response, structure, *, posted=None, errors=None):
    values = selectors.answer_values(response)
    page = structure.page(response.current_page_id)
    shown = engine.visible_ids(structure.specs, values)
    specs = [spec for spec in structure.specs_on(page.id) if spec.id in shown]
    shown_pages = engine.shown_pages(structure.page_ids, structure.specs, values)
    return render(
        request,
        "surveys/answer_page.html",
        {
            "survey": survey,
            "page": page,
            "page_number": shown_pages.index(page.id) + 1 if page.id in shown_pages else 1,
            "page_count": len(shown_pages),
            "is_first": shown_pages[:1] == [page.id],
            "widgets": widgets.for_page(structure, specs, values, posted, errors),
            "errors": errors,
            "can_save": request.user.is_authenticated,
        },
    )


def _render_review(request, survey, response, structure):
    values = selectors.answer_values(response)
    shown = engine.visible_ids(structure.specs, values)
    summary = [
        widgets.build(
            structure.questions[spec.id], spec, engine.as_form_data(spec, values.get(spec.id))
        )
        for spec in structure.specs
        if spec.id in shown and spec.kind != engine.INFO
    ]
    return render(
        request,
        "surveys/review.html",
        {"survey": survey, "summary": summary},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    response = _current_response(request, survey)
    if response is None:
        return redirect("surveys:detail", slug=survey.slug)
    if response.is_submitted:
        return redirect("surveys:thanks", slug=survey.slug)
    structure = selectors.survey_structure(survey)
    if request.method == "GET":
        if response.current_page_id is None:
            return _render_review(request, survey, response, structure)
        return _render_page(request, survey, response, structure)

    action = request.POST.get("action", "next")
    try:
        if action == "back":
            services.go_back(response=response)
        elif action == "submit":
            services.submit_response(response=response, user=request.user)
            return _after_submit(request, survey)
        else:
            try:
                page_id = int(request.POST.get("page", ""))
            except ValueError:
                page_id = None
            saving = action == "save" and request.user.is_authenticated
            services.save_page(
                response=response, page_id=page_id, data=request.POST, advance=not saving
            )
            if saving:
                messages.success(
                    request,
                    _("Your answers are saved. You can continue until the survey closes."),
                )
                return redirect("surveys:detail", slug=survey.slug)
    except services.AnswersInvalid as invalid:
        return _render_page(
            request, survey, response, structure, posted=request.POST, errors=invalid.errors
        )
    except services.SurveyError as error:
        messages.error(request, error.message)
        if error.code in ("closed", "already_answered"):
            return redirect("surveys:detail", slug=survey.slug)
    return redirect("surveys:answer", slug=survey.slug)


def _after_submit(request, survey):
    reply = redirect("surveys:thanks", slug=survey.slug)
    if not request.user.is_authenticated:
        answered = _answered_here(request) | {survey.pk}
        reply.set_signed_cookie(
            ANSWERED_COOKIE,
            ",".join(str(pk) for pk in sorted(answered)),
            salt=ANSWERED_SALT,
            max_age=ANSWERED_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return reply


@require_safe
def thanks(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    response = _current_response(request, survey)
    if response is None or not response.is_submitted:
        raise Http404
    return render(request, "surveys/thanks.html", {"survey": survey})
