"""Pages of residents: the public map and list, giving feedback, one feedback's page
(following and reopening on it) and My feedback. Thin: services decide, selectors read."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import mapview, paging, permissions, photos, selectors, services
from .forms import FeedbackForm, PublicFilterForm, ReopenForm
from .models import CLOSED_STATUSES, MAX_PHOTOS, OPEN_STATUSES, Feedback, ServiceCategory

PAGE_SIZE = 20


@require_safe
def feedback_list(request):
    """Public feedback on a map of the chosen area and as a list, newest first."""
    form = PublicFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    district = filters.get("district")
    box = mapview.parse_bbox(request.GET.get("bbox"))
    if request.GET.get("bbox") and box is None:
        messages.warning(request, _("The map area was not understood, so the whole city is shown."))
    status = filters.get("status")
    feedback = selectors.public_feedback(
        services=[filters["service"].pk] if filters.get("service") else None,
        statuses={"open": OPEN_STATUSES, "closed": CLOSED_STATUSES}.get(status),
        district=district,
        bbox=box,
    )
    page = paging.page_of(feedback, request.GET.get("page"), PAGE_SIZE)
    shown = box or (district and mapview.district_box(district.slug)) or mapview.CITY
    query = request.GET.copy()
    query.pop("page", None)
    page_query = query.urlencode()
    query.pop("bbox", None)
    return render(
        request,
        "feedback/list.html",
        {
            "form": form,
            "page": page,
            "drawing": mapview.drawing(shown, page.object_list),
            "links": mapview.links(shown),
            "bbox": mapview.bbox_text(box) if box else "",
            "filters_query": query.urlencode(),
            "page_query": page_query,
        },
    )


@require_safe
def choose_category(request):
    categories = sorted(
        selectors.categories(),
        key=lambda category: (category.group, category.position, category.name),
    )
    groups = [(group, list(items)) for group, items in groupby(categories, key=lambda c: c.group)]
    return render(request, "feedback/choose.html", {"groups": groups})


def _client_ip(request):
    return request.META.get("REMOTE_ADDR", "")


@require_http_methods(["GET", "POST"])
def new_feedback(request, code):
    service = get_object_or_404(
        ServiceCategory.objects.active()
        .select_related("division")
        .prefetch_related("attributes__values"),
        code=code,
    )
    form = FeedbackForm(
        request.POST or None,
        request.FILES or None,
        service=service,
        user=request.user,
        photo_field=photos.photo_field,
        max_photos=MAX_PHOTOS,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            signed_in = request.user.is_authenticated and not data.get("anonymous")
            try:
                feedback = services.submit_feedback(
                    **form.for_service(),
                    author=request.user if signed_in else None,
                    language=get_language(),
                    photos=[
                        photos.from_form(data[name], data[f"{name}_description"])
                        for name in form.photo_names
                        if data.get(name)
                    ],
                    client_ip=_client_ip(request),
                )
            except services.RateLimited as error:
                form.add_error(None, error.message)
                status = 429
            except services.FeedbackError as error:
                form.add_error(form.field_of(error.field), error.message)
            else:
                if feedback.author_id is not None:
                    messages.success(
                        request,
                        _(
                            "Thank you! Your feedback is sent. It is shown in public once it "
                            "is checked."
                        ),
                    )
                    return redirect("feedback:detail", feedback.pk)
                return redirect("feedback:sent", feedback.token)
    return render(request, "feedback/new.html", {"service": service, "form": form}, status=status)


@require_safe
def sent(request, token):
    """The receipt of feedback sent without signing in: its number and what happens next."""
    feedback = get_object_or_404(Feedback.objects.select_related("service"), token=token)
    return render(request, "feedback/sent.html", {"feedback": feedback})


def _detail_page(request, feedback, *, reopen_form=None, status=200):
    is_author = request.user.is_authenticated and feedback.author_id == request.user.pk
    public_photos = list(
        feedback.photos.all() if is_author else feedback.photos.filter(is_public=True)
    )
    events = [event for event in selectors.history(feedback) if event.is_public]
    original = None
    if feedback.duplicate_of_id:
        original = Feedback.objects.public().filter(pk=feedback.duplicate_of_id).first()
    return render(
        request,
        "feedback/detail.html",
        {
            "feedback": feedback,
            "is_author": is_author,
            "photos": public_photos,
            "events": events,
            "original": original,
            "following": selectors.is_following(request.user, feedback),
            "may_reopen": services.may_reopen(feedback, request.user),
            "reopen_form": reopen_form or ReopenForm(),
            "staff_may_handle": request.user.is_authenticated
            and request.user.is_staff
            and permissions.may_handle(request.user, feedback),
        },
        status=status,
    )


def _visible(request, pk):
    feedback = selectors.visible_to(request.user, pk)
    if feedback is None:
        raise Http404
    return feedback


@require_safe
def feedback_detail(request, pk):
    return _detail_page(request, _visible(request, pk))


@login_required
@require_POST
def follow(request, pk):
    feedback = _visible(request, pk)
    try:
        services.follow_feedback(feedback=feedback, user=request.user)
    except services.FeedbackError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You follow this feedback. News of it comes to your e-mail."))
    return redirect("feedback:detail", feedback.pk)


@login_required
@require_POST
def unfollow(request, pk):
    feedback = _visible(request, pk)
    services.unfollow_feedback(feedback=feedback, user=request.user)
    messages.success(request, _("You no longer follow this feedback."))
    return redirect("feedback:detail", feedback.pk)


@login_required
@require_POST
def reopen(request, pk):
    feedback = _visible(request, pk)
    if feedback.author_id != request.user.pk:
        raise Http404
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_feedback(
                feedback=feedback, author=request.user, reason=form.cleaned_data["reason"]
            )
        except services.FeedbackError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(request, _("The feedback is reopened and back with its handler."))
            return redirect("feedback:detail", feedback.pk)
    return _detail_page(request, feedback, reopen_form=form, status=400)


@login_required
@require_safe
def my_feedback(request):
    return render(
        request,
        "feedback/my.html",
        {
            "own": selectors.feedback_of(request.user),
            "followed": selectors.followed_by(request.user),
        },
    )


@require_safe
def statistics(request):
    """Handling times per category, as the API's statistics give them."""
    return render(request, "feedback/statistics.html", {"rows": selectors.service_statistics()})
