"""Pages of surveys. Thin: services decide, selectors read.

Answering works without JavaScript: each page is a POST, and the server applies
the display conditions to choose the next page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.areas.models import AgeGroup, Area
from osallistu.core import audit, geo
from osallistu.core.clients import client_address
from osallistu.core.decorators import staff_member_with_mfa

from . import engine, exports, permissions, polls, results, selectors, services, widgets
from .forms import (
    CommentForm,
    FlagForm,
    HideForm,
    OfficialAnswerForm,
    ReplyForm,
    TextSearchForm,
)
from .models import Comment, Hearing, Poll, Response, Survey

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
    return render(
        request,
        "surveys/survey_list.html",
        {"surveys": selectors.listed_surveys(), "hearings": selectors.listed_hearings()[:10]},
    )


@require_safe
def survey_detail(request, slug):
    survey = get_object_or_404(Survey.objects.published(), slug=slug)
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
    survey = get_object_or_404(Survey.objects.published(), slug=slug)
    draft = _current_response(request, survey)
    if not request.user.is_authenticated and draft is not None and not draft.is_submitted:
        # This browser has answers under way: continue them rather than start again.
        return redirect("surveys:answer", slug=survey.slug)
    try:
        response = services.start_response(
            survey=survey,
            user=request.user,
            client_ip=client_address(request),
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
    number, shown_count, most = engine.progress(
        structure.page_ids, structure.specs, values, page.id
    )
    return render(
        request,
        "surveys/answer_page.html",
        {
            "survey": survey,
            "page": page,
            "page_number": number,
            "page_count": shown_count,
            "most_pages": most,
            "is_first": number == 1,
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
    survey = get_object_or_404(Survey.objects.published(), slug=slug)
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
    survey = get_object_or_404(Survey.objects.published(), slug=slug)
    response = _current_response(request, survey)
    if response is None or not response.is_submitted:
        raise Http404
    return render(request, "surveys/thanks.html", {"survey": survey})


@require_safe
def public_results(request, slug):
    survey = get_object_or_404(Survey.objects.published(), slug=slug, results_published=True)
    return render(
        request,
        "surveys/results.html",
        {"survey": survey, "results": results.survey_results(survey), "staff": False},
    )


# Staff pages


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _readable_survey(request, slug):
    """The survey at ``slug`` if the person may read its results (``permissions``)."""
    survey = get_object_or_404(Survey, slug=slug)
    _require(permissions.may_read_results(request.user, survey))
    return survey


@staff_member_with_mfa
@require_safe
def staff_surveys(request):
    user = request.user
    _require(permissions.may_use_desk(user))
    return render(
        request,
        "surveys/staff/survey_list.html",
        {
            "surveys": selectors.surveys_for_staff(user),
            "hearings": selectors.hearings_for_staff(user),
            "may_build": permissions.may_build(user),
            "moderates": permissions.scope(user) != set(),
        },
    )


def _group_filter(request):
    """The district and age group chosen on a staff results page, checked."""
    district = request.GET.get("district", "")
    age_group = request.GET.get("age_group", "")
    districts = {str(area.pk): area for area in Area.objects.districts()}
    return (
        districts.get(district),
        age_group if age_group in AgeGroup.values and age_group else None,
        districts.values(),
    )


@staff_member_with_mfa
@require_safe
def staff_results(request, slug):
    survey = _readable_survey(request, slug)
    district, age_group, districts = _group_filter(request)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "results": results.survey_results(survey, district=district, age_group=age_group),
            "staff": True,
            "may_publish": permissions.may_publish_results(request.user, survey),
            "districts": districts,
            "age_groups": [group for group in AgeGroup if group.value],
            "district": district,
            "age_group": age_group,
        },
    )


@staff_member_with_mfa
@require_POST
def publish(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    _require(permissions.may_publish_results(request.user, survey))
    published = request.POST.get("published") == "1"
    services.publish_results(survey=survey, actor=request.user, published=published)
    messages.success(
        request,
        _("The results are now public.") if published else _("The results are no longer public."),
    )
    return redirect("surveys:staff_results", slug=survey.slug)


@staff_member_with_mfa
@require_safe
def staff_breakdown(request, slug):
    survey = _readable_survey(request, slug)
    by = "age_group" if request.GET.get("by") == "age_group" else "district"
    table = results.breakdown(survey, by=by)
    structure = selectors.survey_structure(survey)
    return render(
        request,
        "surveys/staff/breakdown.html",
        {
            "survey": survey,
            "by": by,
            "groups": table.groups,
            "respondents": table.respondents,
            "averages": table.averages,
            "tables": [
                (structure.questions[question_id], rows)
                for question_id, rows in table.tables.items()
            ],
        },
    )


@staff_member_with_mfa
@require_safe
def staff_texts(request, slug):
    survey = _readable_survey(request, slug)
    structure = selectors.survey_structure(survey)
    form = TextSearchForm(request.GET)
    form.is_valid()  # The fields that are wrong are left out of cleaned_data.
    question = structure.questions.get(form.cleaned_data.get("question"))
    search = form.cleaned_data.get("q", "")
    answers = results.text_answers(survey, question=question, search=search)
    return render(
        request,
        "surveys/staff/texts.html",
        {
            "survey": survey,
            "questions": results.text_questions(structure),
            "question": question,
            "search": search,
            "search_errors": form.errors.get("q"),
            "page_obj": Paginator(answers, 50).get_page(request.GET.get("page")),
        },
    )


def _export_name(survey, extension):
    return f"{survey.slug}-{timezone.localdate().isoformat()}.{extension}"


@staff_member_with_mfa
@require_safe
def export_csv(request, slug):
    survey = _readable_survey(request, slug)
    audit.record(
        action="surveys.exported", actor=request.user, target=survey, data={"format": "csv"}
    )
    response = StreamingHttpResponse(
        exports.csv_lines(survey), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(survey, "csv")}"'
    return response


@staff_member_with_mfa
@require_safe
def export_xlsx(request, slug):
    survey = _readable_survey(request, slug)
    audit.record(
        action="surveys.exported", actor=request.user, target=survey, data={"format": "xlsx"}
    )
    return FileResponse(
        exports.xlsx_file(survey),
        as_attachment=True,
        filename=_export_name(survey, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# Hearings


@require_safe
def hearing_list(request):
    return render(request, "surveys/hearing_list.html", {"hearings": selectors.listed_hearings()})


def _hearing(slug):
    return get_object_or_404(Hearing.objects.listed(), slug=slug)


def _render_hearing(request, hearing, comment_form=None, bound=None):
    """The hearing page. ``bound`` is (comment id, "reply" or "flag", form): a refused
    reply or report, drawn again under its comment with its errors and text."""
    comments = selectors.hearing_comments(hearing)
    bound_id, bound_kind, bound_form = bound or (None, None, None)

    def form_of(item, kind, form_class):
        if item.pk == bound_id and kind == bound_kind:
            return bound_form
        return form_class(auto_id=f"{kind}-{item.pk}-%s")

    for comment in comments:
        comment.reply_form = form_of(comment, "reply", ReplyForm)
        comment.flag_form = form_of(comment, "flag", FlagForm)
        for reply in comment.reply_list:
            reply.flag_form = form_of(reply, "flag", FlagForm)
    admission = selectors.may_comment(hearing, request.user)
    place_map = widgets.base_map() if hearing.map_comments else None
    return render(
        request,
        "surveys/hearing_detail.html",
        {
            "hearing": hearing,
            "sections": selectors.hearing_sections(
                hearing, request.user, request.session.get(POLLS_VOTED_KEY, [])
            ),
            "comments": comments,
            "supported": selectors.supported_by(hearing, request.user),
            "admission": admission,
            "form": comment_form or CommentForm(hearing=hearing),
            "place_map": place_map,
            "comment_places": _comment_places(place_map, comments) if place_map else [],
        },
    )


def _add_refusal(form, error):
    """Put a service's refusal next to its field, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _comment_places(place_map, comments):
    """Where the shown comments with a point are on ``place_map``: (comment, x, y)."""
    frame = place_map.frame
    west, south, east, north = place_map.bbox
    places = []
    for comment in comments:
        geometry = comment.geojson
        if comment.is_hidden or not geometry or geometry.get("type") != "Point":
            continue
        lon, lat = geometry["coordinates"]
        if west <= lon <= east and south <= lat <= north:
            places.append((comment, *frame.xy(lon, lat), geo.district_of(lon, lat)))
    return places


@require_safe
def hearing_detail(request, slug):
    return _render_hearing(request, _hearing(slug))


def _hearing_anchor(hearing, comment=None):
    url = reverse("surveys:hearing", kwargs={"slug": hearing.slug})
    return f"{url}#comment-{comment.pk}" if comment else f"{url}#comments"


@require_POST
def comment(request, slug):
    hearing = _hearing(slug)
    form = CommentForm(request.POST, hearing=hearing)
    if not form.is_valid():
        return _render_hearing(request, hearing, comment_form=form)
    try:
        posted = services.post_comment(
            hearing=hearing,
            user=request.user,
            text=form.cleaned_data["text"],
            section=form.cleaned_data.get("section"),
            nickname=form.cleaned_data["nickname"],
            place=form.cleaned_data.get("place"),
            client_ip=client_address(request),
        )
    except services.HearingError as error:
        # Drawn again with what was written, so that nothing typed is lost.
        _add_refusal(form, error)
        return _render_hearing(request, hearing, comment_form=form)
    messages.success(request, _("Thank you! Your comment is published."))
    return redirect(_hearing_anchor(hearing, posted))


@require_POST
def reply(request, slug, comment_id):
    hearing = _hearing(slug)
    parent = get_object_or_404(Comment, pk=comment_id, hearing=hearing)
    form = ReplyForm(request.POST, auto_id=f"reply-{parent.pk}-%s")
    if form.is_valid():
        try:
            posted = services.post_comment(
                hearing=hearing,
                user=request.user,
                text=form.cleaned_data["text"],
                parent=parent,
                client_ip=client_address(request),
            )
        except services.HearingError as error:
            _add_refusal(form, error)
        else:
            return redirect(_hearing_anchor(hearing, posted))
    return _render_hearing(request, hearing, bound=(parent.pk, "reply", form))


POLLS_VOTED_KEY = "surveys:polls_voted"


@require_POST
def poll_vote(request, slug, poll_id):
    hearing = _hearing(slug)
    poll = get_object_or_404(
        Poll.objects.select_related("section__hearing"), pk=poll_id, section__hearing=hearing
    )
    voted_here = request.session.get(POLLS_VOTED_KEY, [])
    anchor = f"{reverse('surveys:hearing', kwargs={'slug': hearing.slug})}#poll-{poll.pk}"
    try:
        polls.vote(
            poll=poll,
            user=request.user,
            option_ids=request.POST.getlist("option"),
            client_ip=client_address(request),
            voted_here=not request.user.is_authenticated and poll.pk in voted_here,
        )
    except polls.PollError as error:
        messages.error(request, error.message)
        return redirect(anchor)
    if not request.user.is_authenticated:
        request.session[POLLS_VOTED_KEY] = [*voted_here, poll.pk]
    messages.success(request, _("Thank you! Your vote is counted."))
    return redirect(anchor)


@require_POST
def support(request, slug, comment_id):
    hearing = _hearing(slug)
    target = get_object_or_404(Comment, pk=comment_id, hearing=hearing)
    try:
        services.support_comment(comment=target, user=request.user)
    except services.HearingError as error:
        messages.error(request, error.message)
    return redirect(_hearing_anchor(hearing, target))


@require_POST
def flag(request, slug, comment_id):
    hearing = _hearing(slug)
    target = get_object_or_404(Comment, pk=comment_id, hearing=hearing)
    form = FlagForm(request.POST, auto_id=f"flag-{target.pk}-%s")
    if form.is_valid():
        try:
            services.flag_comment(
                comment=target, user=request.user, reason=form.cleaned_data["reason"]
            )
        except services.HearingError as error:
            if error.field is None:
                messages.error(request, error.message)
                return redirect(_hearing_anchor(hearing, target))
            _add_refusal(form, error)
        else:
            messages.success(request, _("Thank you. A moderator will look at the comment."))
            return redirect(_hearing_anchor(hearing, target))
    return _render_hearing(request, hearing, bound=(target.pk, "flag", form))


def _moderated_hearing(request, slug):
    hearing = get_object_or_404(Hearing, slug=slug)
    _require(permissions.may_moderate(request.user, hearing))
    return hearing


def _render_moderation(request, hearing, bound=None):
    """The moderation page. ``bound`` is (comment id, "hide" or "answer", form): a
    refused action, drawn again under its comment with its errors and text."""
    bound_id, bound_kind, bound_form = bound or (None, None, None)
    comments = list(selectors.comments_for_moderation(hearing))
    for item in comments:
        item.hide_form = HideForm(auto_id=f"hide-{item.pk}-%s")
        item.answer_form = OfficialAnswerForm(auto_id=f"answer-{item.pk}-%s")
        if item.pk == bound_id:
            setattr(item, f"{bound_kind}_form", bound_form)
    sections = selectors.hearing_sections(hearing, request.user, all_results=True)
    return render(
        request,
        "surveys/staff/moderation.html",
        {
            "hearing": hearing,
            "comments": comments,
            "polls": [poll for section in sections for poll in section.polls.all()],
        },
    )


@staff_member_with_mfa
@require_safe
def moderation(request, slug):
    return _render_moderation(request, _moderated_hearing(request, slug))


MODERATION_FORMS = {"hide": HideForm, "answer": OfficialAnswerForm}


@staff_member_with_mfa
@require_POST
def moderate(request, slug, comment_id, action):
    if action not in ("hide", "restore", "answer"):
        raise Http404
    hearing = _moderated_hearing(request, slug)
    target = get_object_or_404(Comment, pk=comment_id, hearing=hearing)
    form = None
    if action in MODERATION_FORMS:
        form = MODERATION_FORMS[action](request.POST, auto_id=f"{action}-{target.pk}-%s")
    try:
        if action == "restore":
            services.restore_comment(comment=target, actor=request.user)
        elif not form.is_valid():
            return _render_moderation(request, hearing, bound=(target.pk, action, form))
        elif action == "hide":
            services.hide_comment(
                comment=target, actor=request.user, reason=form.cleaned_data["reason"]
            )
        else:
            services.answer_officially(
                comment=target, actor=request.user, text=form.cleaned_data["text"]
            )
    except services.HearingError as error:
        if form is None or error.field is None:
            messages.error(request, error.message)
        else:
            _add_refusal(form, error)
            return _render_moderation(request, hearing, bound=(target.pk, action, form))
    else:
        messages.success(request, _("Done."))
    return redirect(reverse("surveys:moderation", kwargs={"slug": hearing.slug}))
