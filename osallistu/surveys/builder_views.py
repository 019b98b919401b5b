"""Staff pages of the survey builder: surveys, their pages, questions, options and
display conditions, a preview as residents see it, and copies. Thin: ``builder``
decides and writes, these pages show its answers.

Everything works with plain links and form posts: reordering is a pair of buttons,
deleting asks for confirmation on a page of its own. Who may build what is
``permissions.may_build``: city administrators every survey, district moderators and
city coaches the surveys for residents of their own districts.
"""

import datetime
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.core.decorators import staff_member_with_mfa

from . import builder, engine, permissions, selectors, widgets
from .builder_forms import (
    AddQuestionForm,
    ConditionForm,
    DirectionForm,
    KindForm,
    OptionForm,
    PageForm,
    QuestionForm,
    SurveySettingsForm,
)
from .models import CHOICE_KINDS, Audience, Condition, Option, Page, Question, QuestionKind, Survey


def builder_staff(view):
    """Staff past the second factor who may build surveys (``permissions.may_build``)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not permissions.may_build(request.user):
            raise PermissionDenied
        request.build_scope = permissions.scope(request.user)
        return view(request, *args, **kwargs)

    return staff_member_with_mfa(wrapped)


def _survey(request, survey_id):
    survey = get_object_or_404(Survey.objects.prefetch_related("districts"), pk=survey_id)
    if not permissions.may_build(request.user, survey):
        raise PermissionDenied
    return survey


def _page(survey, page_id):
    page = get_object_or_404(Page, pk=page_id, survey=survey)
    page.survey = survey
    return page


def _question(survey, question_id):
    question = get_object_or_404(
        Question.objects.select_related("page"), pk=question_id, page__survey=survey
    )
    question.page.survey = survey
    return question


def _option(question, option_id):
    option = get_object_or_404(Option, pk=option_id, question=question)
    option.question = question
    return option


def _build_url(survey, anchor=""):
    url = reverse("surveys:builder", kwargs={"survey_id": survey.pk})
    return f"{url}#{anchor}" if anchor else url


def _question_url(question, anchor=""):
    url = reverse(
        "surveys:builder_question",
        kwargs={"survey_id": question.page.survey_id, "question_id": question.pk},
    )
    return f"{url}#{anchor}" if anchor else url


def _structure(survey):
    """Pages with their questions (``.question_list``), each question with its
    ``choices``, ``rows`` and ``condition_list``, for the builder's pages."""
    pages = list(Page.objects.filter(survey=survey).order_by("position"))
    by_page = {page.pk: page for page in pages}
    for page in pages:
        page.survey = survey
        page.question_list = []
    questions = list(
        Question.objects.filter(page__survey=survey)
        .order_by("page__position", "position")
        .prefetch_related(
            "options",
            Prefetch(
                "conditions",
                queryset=Condition.objects.select_related("depends_on", "option").order_by("pk"),
                to_attr="condition_list",
            ),
        )
    )
    for question in questions:
        question.page = by_page[question.page_id]
        options = list(question.options.all())
        question.choices = [option for option in options if option.role == Option.Role.CHOICE]
        question.rows = [option for option in options if option.role == Option.Role.ROW]
        question.page.question_list.append(question)
    return pages, questions


# Surveys


@builder_staff
@require_safe
def survey_list(request):
    now = timezone.now()
    surveys = list(builder.buildable_surveys(request.user))
    for survey in surveys:
        survey.status = builder.status(survey, now)
        survey.status_label = builder.Status.LABELS[survey.status]
    return render(
        request,
        "surveys/builder/survey_list.html",
        {"surveys": surveys, "district_staff": request.build_scope is not None},
    )


def _new_survey_initial(request):
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    opens = tomorrow.replace(hour=9, minute=0, second=0, microsecond=0)
    return {
        "opens_at": opens,
        "closes_at": opens + datetime.timedelta(days=14),
        "audience": Audience.ANYONE if request.build_scope is None else Audience.DISTRICTS,
        "anonymous_responses_per_hour": 30,
    }


@builder_staff
@require_http_methods(["GET", "POST"])
def survey_new(request):
    form = SurveySettingsForm(
        request.POST or None, scope=request.build_scope, initial=_new_survey_initial(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey = builder.create_survey(
                actor=request.user,
                fields=form.cleaned_data,
                districts=form.cleaned_data["districts"],
            )
        except builder.BuildError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The survey is created as a draft. Add its questions next."),
            )
            return redirect(_build_url(survey))
    return render(request, "surveys/builder/settings.html", {"form": form, "survey": None})


@builder_staff
@require_http_methods(["GET", "POST"])
def survey_settings(request, survey_id):
    survey = _survey(request, survey_id)
    form = SurveySettingsForm(
        request.POST or None,
        scope=request.build_scope,
        initial=SurveySettingsForm.initial_for(survey),
    )
    if request.method == "POST" and form.is_valid():
        try:
            builder.update_survey(
                survey=survey,
                actor=request.user,
                fields=form.cleaned_data,
                districts=form.cleaned_data["districts"],
            )
        except builder.BuildError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect(_build_url(survey))
    return render(request, "surveys/builder/settings.html", {"form": form, "survey": survey})


@builder_staff
@require_safe
def survey_build(request, survey_id):
    survey = _survey(request, survey_id)
    pages, questions = _structure(survey)
    counts = builder.answer_counts(survey)
    for question in questions:
        question.answer_count = counts.get(question.pk, 0)
    for page in pages:
        page.add_form = AddQuestionForm(auto_id=f"add-{page.pk}-%s")
    state = builder.status(survey)
    return render(
        request,
        "surveys/builder/survey.html",
        {
            "survey": survey,
            "pages": pages,
            "status": state,
            "status_label": builder.Status.LABELS[state],
            "is_draft": state == builder.Status.DRAFT,
            "is_open": state == builder.Status.OPEN,
            "may_open": state in (builder.Status.DRAFT, builder.Status.SCHEDULED)
            and not survey.has_closed(),
            "has_responses": builder.has_responses(survey),
            "responses": selectors.submitted_responses(survey).count(),
        },
    )


@builder_staff
@require_POST
def survey_action(request, survey_id, action):
    survey = _survey(request, survey_id)
    if action == "duplicate":
        copy = builder.duplicate_survey(survey=survey, actor=request.user)
        messages.success(
            request,
            _(
                "This is a copy of the survey, saved as a draft. Check its title and times "
                "in the settings before it opens."
            ),
        )
        return redirect(_build_url(copy))
    actions = {
        "open": builder.open_now,
        "close": builder.close_now,
        "publish": builder.publish_survey,
        "unpublish": builder.unpublish_survey,
    }
    if action not in actions:
        messages.error(request, _("Unknown action."))
        return redirect(_build_url(survey))
    try:
        survey = actions[action](survey=survey, actor=request.user)
    except builder.BuildError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _action_done(survey, action))
    return redirect(_build_url(survey))


def _action_done(survey, action):
    if action == "close":
        return _("The survey is closed. No more answers are taken.")
    if action == "unpublish":
        return _("The survey is a draft again. Residents no longer see it.")
    if action == "publish" and not survey.is_open():
        if survey.has_closed():
            return _("The survey is published. Its answering time has already ended.")
        return _("The survey is published. Residents can see it, and answer it from %(opens)s.") % {
            "opens": date_format(timezone.localtime(survey.opens_at), "DATETIME_FORMAT")
        }
    return _("The survey is open. Residents can answer it now.")


# Preview: the answering pages, driven by the same engine, with nothing stored.


def _preview_key(survey):
    return f"surveys:preview:{survey.pk}"


@builder_staff
@never_cache
@require_http_methods(["GET", "POST"])
def preview(request, survey_id):
    survey = _survey(request, survey_id)
    structure = selectors.survey_structure(survey)
    key = _preview_key(survey)
    state = request.session.get(key)
    page_ids = structure.page_ids
    if state is None or (state["page"] is not None and state["page"] not in page_ids):
        state = {"page": engine.first_page(page_ids, structure.specs, {}), "values": {}}
    values = {int(question): value for question, value in state["values"].items()}
    page_id = state["page"]
    if request.method == "POST":
        action = request.POST.get("action", "next")
        if action == "restart":
            request.session.pop(key, None)
            return redirect("surveys:builder_preview", survey_id=survey.pk)
        if action == "back":
            page_id = engine.page_before(page_ids, structure.specs, values, page_id) or page_id
        elif page_id is not None and str(page_id) == request.POST.get("page"):
            shown = engine.visible_ids(structure.specs, values)
            on_page = [spec for spec in structure.specs_on(page_id) if spec.id in shown]
            cleaned, errors = engine.clean_page(on_page, request.POST)
            if errors:
                return _render_preview_page(
                    request, survey, structure, values, page_id, request.POST, errors
                )
            for spec in structure.specs_on(page_id):
                values.pop(spec.id, None)
            values.update({question: answer.value for question, answer in cleaned.items()})
            values = engine.keep_visible(structure.specs, values)
            page_id = engine.page_after(page_ids, structure.specs, values, page_id)
        request.session[key] = {"page": page_id, "values": values}
        return redirect("surveys:builder_preview", survey_id=survey.pk)
    request.session[key] = {"page": page_id, "values": values}
    if page_id is None:
        return _render_preview_end(request, survey, structure, values)
    return _render_preview_page(request, survey, structure, values, page_id)


def _render_preview_page(request, survey, structure, values, page_id, posted=None, errors=None):
    page = structure.page(page_id)
    shown = engine.visible_ids(structure.specs, values)
    specs = [spec for spec in structure.specs_on(page_id) if spec.id in shown]
    number, shown_count, most = engine.progress(
        structure.page_ids, structure.specs, values, page_id
    )
    return render(
        request,
        "surveys/builder/preview.html",
        {
            "survey": survey,
            "page": page,
            "page_number": number,
            "page_count": shown_count,
            "most_pages": most,
            "is_first": number == 1,
            "widgets": widgets.for_page(structure, specs, values, posted, errors),
            "errors": errors,
        },
    )


def _render_preview_end(request, survey, structure, values):
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
        "surveys/builder/preview_end.html",
        {"survey": survey, "summary": summary, "empty": not structure.specs},
    )


# Pages


def _confirm(request, *, title, question, consequence, cancel_url, button):
    return render(
        request,
        "surveys/builder/confirm.html",
        {
            "title": title,
            "question": question,
            "consequence": consequence,
            "cancel_url": cancel_url,
            "button": button,
        },
    )


def _direction(request):
    form = DirectionForm(request.POST)
    return form.cleaned_data["direction"] if form.is_valid() else None


@builder_staff
@require_POST
def page_add(request, survey_id):
    survey = _survey(request, survey_id)
    page = builder.add_page(survey=survey, actor=request.user)
    messages.success(request, _("Page %(number)s is added.") % {"number": page.position})
    return redirect(_build_url(survey, f"page-{page.pk}"))


@builder_staff
@require_http_methods(["GET", "POST"])
def page_edit(request, survey_id, page_id):
    survey = _survey(request, survey_id)
    page = _page(survey, page_id)
    form = PageForm(request.POST or None, initial=PageForm.initial_for(page))
    if request.method == "POST" and form.is_valid():
        builder.update_page(page=page, actor=request.user, titles=form.cleaned_data)
        messages.success(request, _("The page title is saved."))
        return redirect(_build_url(survey, f"page-{page.pk}"))
    return render(
        request, "surveys/builder/page_form.html", {"survey": survey, "page": page, "form": form}
    )


@builder_staff
@require_POST
def page_move(request, survey_id, page_id):
    survey = _survey(request, survey_id)
    page = _page(survey, page_id)
    direction = _direction(request)
    if direction is None:
        messages.error(request, _("Choose whether to move up or down."))
    else:
        try:
            builder.move_page(page=page, actor=request.user, direction=direction)
        except builder.BuildError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The page is moved."))
    return redirect(_build_url(survey, f"page-{page.pk}"))


@builder_staff
@require_http_methods(["GET", "POST"])
def page_delete(request, survey_id, page_id):
    survey = _survey(request, survey_id)
    page = _page(survey, page_id)
    if request.method == "POST":
        try:
            builder.delete_page(page=page, actor=request.user)
        except builder.BuildError as error:
            messages.error(request, error.message)
            return redirect(_build_url(survey, f"page-{page.pk}"))
        messages.success(request, _("The page is deleted."))
        return redirect(_build_url(survey))
    count = Question.objects.filter(page=page).count()
    return _confirm(
        request,
        title=_("Delete page"),
        question=_("Delete “%(page)s” of the survey “%(survey)s”?")
        % {"page": page, "survey": survey},
        consequence=_("Its %(count)s questions are deleted with it.") % {"count": count}
        if count
        else _("The page has no questions."),
        cancel_url=_build_url(survey, f"page-{page.pk}"),
        button=_("Delete the page"),
    )


# Questions


def _kind_or_none(raw):
    return raw if raw in QuestionKind.values else None


@builder_staff
@require_http_methods(["GET", "POST"])
def question_add(request, survey_id, page_id):
    survey = _survey(request, survey_id)
    page = _page(survey, page_id)
    kind = _kind_or_none(request.GET.get("kind"))
    if kind is None:
        messages.error(request, _("Choose a kind of question."))
        return redirect(_build_url(survey, f"page-{page.pk}"))
    form = QuestionForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            question = builder.add_question(
                page=page,
                actor=request.user,
                kind=kind,
                fields=form.cleaned_data,
                settings_value=form.cleaned_data["settings"],
            )
        except builder.BuildError as error:
            form.add_error(None, error.message)
        else:
            question.page.survey = survey
            if kind in CHOICE_KINDS:
                messages.success(request, _("The question is added. Add its options next."))
                return redirect(_question_url(question, "options"))
            messages.success(request, _("The question is added."))
            return redirect(_build_url(survey, f"question-{question.pk}"))
    return render(
        request,
        "surveys/builder/question_new.html",
        {
            "survey": survey,
            "page": page,
            "form": form,
            "kind": kind,
            "kind_label": QuestionKind(kind).label,
        },
    )


def _render_question(
    request,
    survey,
    question,
    *,
    form=None,
    kind_form=None,
    option_form=None,
    condition_form=None,
):
    pages, questions = _structure(survey)
    question = next(item for item in questions if item.pk == question.pk)
    answer_count = builder.answer_counts(survey).get(question.pk, 0)
    if form is None:
        form = QuestionForm(
            kind=question.kind, pages=pages, initial=QuestionForm.initial_for(question)
        )
    has_options = question.kind in CHOICE_KINDS
    context = {
        "survey": survey,
        "question": question,
        "form": form,
        "kind_form": kind_form
        or KindForm(initial={"kind": question.kind}, prefix="kind", auto_id="kind-%s"),
        "answer_count": answer_count,
        "has_options": has_options,
        "is_matrix": question.kind == QuestionKind.MATRIX,
        "condition_form": condition_form
        or ConditionForm(question=question, questions=questions, prefix="condition"),
        "dependents": [
            item
            for item in questions
            if any(condition.depends_on_id == question.pk for condition in item.condition_list)
        ],
    }
    if has_options:
        context["option_form"] = option_form or OptionForm(question=question, prefix="option")
    return render(request, "surveys/builder/question.html", context)


@builder_staff
@require_http_methods(["GET", "POST"])
def question_edit(request, survey_id, question_id):
    survey = _survey(request, survey_id)
    question = _question(survey, question_id)
    if request.method == "GET":
        return _render_question(request, survey, question)
    pages = list(Page.objects.filter(survey=survey).order_by("position"))
    form = QuestionForm(
        request.POST, kind=question.kind, pages=pages, initial=QuestionForm.initial_for(question)
    )
    if form.is_valid():
        target = next(page for page in pages if page.pk == form.cleaned_data["page"])
        target.survey = survey
        try:
            builder.update_question(
                question=question,
                actor=request.user,
                fields=form.cleaned_data,
                settings_value=form.cleaned_data["settings"],
                page=target,
            )
        except builder.BuildError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The question is saved."))
            return redirect(_build_url(survey, f"question-{question.pk}"))
    return _render_question(request, survey, question, form=form)


@builder_staff
@require_POST
def question_kind(request, survey_id, question_id):
    survey = _survey(request, survey_id)
    question = _question(survey, question_id)
    form = KindForm(request.POST, prefix="kind", auto_id="kind-%s")
    if form.is_valid():
        try:
            builder.change_kind(
                question=question, actor=request.user, kind=form.cleaned_data["kind"]
            )
        except builder.BuildError as error:
            form.add_error("kind", error.message)
        else:
            messages.success(request, _("The kind of the question is changed. Check its settings."))
            return redirect(_question_url(question))
    return _render_question(request, survey, question, kind_form=form)


@builder_staff
@require_POST
def question_move(request, survey_id, question_id):
    survey = _survey(request, survey_id)
    question = _question(survey, question_id)
    direction = _direction(request)
    if direction is None:
        messages.error(request, _("Choose whether to move up or down."))
    else:
        builder.move_question(question=question, actor=request.user, direction=direction)
        messages.success(request, _("The question is moved."))
    return redirect(_build_url(survey, f"question-{question.pk}"))


@builder_staff
@require_http_methods(["GET", "POST"])
def question_delete(request, survey_id, question_id):
    survey = _survey(request, survey_id)
    question = _question(survey, question_id)
    if request.method == "POST":
        try:
            builder.delete_question(question=question, actor=request.user)
        except builder.BuildError as error:
            messages.error(request, error.message)
            return redirect(_question_url(question))
        messages.success(request, _("The question is deleted."))
        return redirect(_build_url(survey, f"page-{question.page_id}"))
    return _confirm(
        request,
        title=_("Delete question"),
        question=_("Delete the question “%(question)s”?") % {"question": question},
        consequence=_("Its options and display conditions are deleted with it."),
        cancel_url=_question_url(question),
        button=_("Delete the question"),
    )


# Options


@builder_staff
@require_POST
def option_add(request, survey_id, question_id):
    survey = _survey(request, survey_id)
    question = _question(survey, question_id)
    form = OptionForm(request.POST, question=question, prefix="option")
    if form.is_valid():
        try:
            builder.add_option(
                question=question,
                actor=request.user,
                texts=form.cleaned_data,
                role=form.cleaned_data.get("role", Option.Role.CHOICE),
            )
        except builder.BuildError as error:
            # Only a tampered form meets this (a question without options has no
            # option form): say why on the question's page.
            messages.error(request, error.message)
        else:
            messages.success(request, _("The option is added."))
        return redirect(_question_url(question, "options"))
    return _render_question(request, survey, question, option_form=form)


@builder_staff
@require_http_methods(["GET", "POST"])
def option_edit(request, survey_id, question_id, option_id):
    survey = _survey(request, survey_id)
    question = _question(survey, question_id)
    option = _option(question, option_id)
    form = OptionForm(request.POST or None, initial=OptionForm.initial_for(option))
    if request.method == "POST" and form.is_valid():
        builder.update_option(option=option, actor=request.user, texts=form.cleaned_data)
        messages.success(request, _("The option is saved."))
        return redirect(_question_url(question, "options"))
    return render(
        request,
        "surveys/builder/option_form.html",
        {"survey": survey, "question": question, "option": option, "form": form},
    )


@builder_staff
@require_POST
def option_move(request, survey_id, question_id, option_id):
    survey = _survey(request, survey_id)
    question = _question(survey, question_id)
    option = _option(question, option_id)
    direction = _direction(request)
    if direction is None:
        messages.error(request, _("Choose whether to move up or down."))
    else:
        builder.move_option(option=option, actor=request.user, direction=direction)
        messages.success(request, _("The option is moved."))
    return redirect(_question_url(question, "options"))


@builder_staff
@require_http_methods(["GET", "POST"])
def option_delete(request, survey_id, question_id, option_id):
    survey = _survey(request, survey_id)
    question = _question(survey, question_id)
    option = _option(question, option_id)
    if request.method == "POST":
        try:
            builder.delete_option(option=option, actor=request.user)
        except builder.BuildError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The option is deleted."))
        return redirect(_question_url(question, "options"))
    return _confirm(
        request,
        title=_("Delete option"),
        question=_("Delete the option “%(option)s” of the question “%(question)s”?")
        % {"option": option, "question": question},
        consequence="",
        cancel_url=_question_url(question, "options"),
        button=_("Delete the option"),
    )


# Display conditions


@builder_staff
@require_POST
def condition_add(request, survey_id, question_id):
    survey = _survey(request, survey_id)
    question = _question(survey, question_id)
    _pages, questions = _structure(survey)
    current = next(item for item in questions if item.pk == question.pk)
    form = ConditionForm(request.POST, question=current, questions=questions, prefix="condition")
    if form.is_valid():
        try:
            builder.add_condition(
                question=question,
                actor=request.user,
                depends_on=form.cleaned_data["depends_on"],
                operator=form.cleaned_data["operator"],
                option=form.cleaned_data["option"],
                value=form.cleaned_data["value"],
            )
        except builder.BuildError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The condition is added."))
            return redirect(_question_url(question, "conditions"))
    return _render_question(request, survey, question, condition_form=form)


@builder_staff
@require_http_methods(["GET", "POST"])
def condition_delete(request, survey_id, question_id, condition_id):
    survey = _survey(request, survey_id)
    question = _question(survey, question_id)
    condition = get_object_or_404(
        Condition.objects.select_related("depends_on", "option"), pk=condition_id, question=question
    )
    condition.question = question
    if request.method == "POST":
        builder.delete_condition(condition=condition, actor=request.user)
        messages.success(request, _("The condition is removed."))
        return redirect(_question_url(question, "conditions"))
    return _confirm(
        request,
        title=_("Remove condition"),
        question=_("Remove this condition of the question “%(question)s”?")
        % {"question": question},
        consequence=_("The question is then shown whatever the answer to “%(earlier)s”.")
        % {"earlier": condition.depends_on},
        cancel_url=_question_url(question, "conditions"),
        button=_("Remove the condition"),
    )


# Addresses, included under staff/build/ by urls.py.

urlpatterns = [
    path("", survey_list, name="builder_list"),
    path("new/", survey_new, name="builder_new"),
    path("<int:survey_id>/", survey_build, name="builder"),
    path("<int:survey_id>/settings/", survey_settings, name="builder_settings"),
    path("<int:survey_id>/preview/", preview, name="builder_preview"),
    path("<int:survey_id>/do/<str:action>/", survey_action, name="builder_action"),
    path("<int:survey_id>/pages/add/", page_add, name="builder_page_add"),
    path("<int:survey_id>/pages/<int:page_id>/", page_edit, name="builder_page"),
    path("<int:survey_id>/pages/<int:page_id>/move/", page_move, name="builder_page_move"),
    path("<int:survey_id>/pages/<int:page_id>/delete/", page_delete, name="builder_page_delete"),
    path(
        "<int:survey_id>/pages/<int:page_id>/questions/add/",
        question_add,
        name="builder_question_add",
    ),
    path("<int:survey_id>/questions/<int:question_id>/", question_edit, name="builder_question"),
    path(
        "<int:survey_id>/questions/<int:question_id>/kind/",
        question_kind,
        name="builder_question_kind",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/move/",
        question_move,
        name="builder_question_move",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/delete/",
        question_delete,
        name="builder_question_delete",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/options/add/",
        option_add,
        name="builder_option_add",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/options/<int:option_id>/",
        option_edit,
        name="builder_option",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/options/<int:option_id>/move/",
        option_move,
        name="builder_option_move",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/options/<int:option_id>/delete/",
        option_delete,
        name="builder_option_delete",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/conditions/add/",
        condition_add,
        name="builder_condition_add",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/conditions/<int:condition_id>/delete/",
        condition_delete,
        name="builder_condition_delete",
    ),
]
