"""Public pages of volunteering and the volunteer's own: the search, an opportunity
and its shifts, signing up, cancelling, the history and certificate, a guardian's
consent, and residents' talkoot. Thin: services decide and say why not, selectors
read. Every flow works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import certificates, ical, selectors, services
from .forms import SearchForm, SignUpForm, TalkootForm, today
from .models import HOLDING, SignUp, Talkoot

PER_PAGE = 20
# Each language's name in itself, for the certificate links.
CERTIFICATE_LANGUAGES = (("fi", "suomeksi"), ("sv", "på svenska"), ("en", "in English"))

# Refusals shown next to one field of the sign-up form; others above it.
SIGNUP_FIELD_OF_CODE = {
    "name_required": "name",
    "birth_date_required": "birth_date",
    "birth_date_invalid": "birth_date",
    "guardian_required": "guardian_email",
    "guardian_is_volunteer": "guardian_email",
}
TALKOOT_FIELD_OF_CODE = {
    "invalid_dates": "ends_on",
    "too_soon": "starts_on",
    "too_far": "starts_on",
    "too_long": "ends_on",
    "district_day_full": "starts_on",
    "invalid_participants": "expected_participants",
}


def _in_language(code, name):
    with translation.override(code):
        return reverse(name)


def _page_number(value):
    try:
        return max(1, min(int(value), 10_000))
    except (TypeError, ValueError):
        return 1


def _add_error(form, error, fields):
    field = fields.get(error.code)
    form.add_error(field if field in form.fields else None, error.message)


@require_safe
def search(request):
    """The front page of volunteering: the search form and the opportunities found.
    Without any criteria it lists every upcoming opportunity."""
    form = SearchForm(request.GET or None)
    now = timezone.now()
    context = {"form": form, "talkoot": selectors.approved_talkoot(today())[:5]}
    if form.is_bound and not form.is_valid():
        return render(request, "volunteering/search.html", context)
    arguments = form.search_arguments() if form.is_bound else {}
    number = _page_number(request.GET.get("page"))
    found = selectors.search(now=now, offset=(number - 1) * PER_PAGE, limit=PER_PAGE, **arguments)
    # A page past the end (a changed link) shows no results and a link back to the last
    # page, without searching again.
    pages = max(1, -(-found.total // PER_PAGE) + int(found.more))
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        {
            "found": found,
            "page": {
                "number": min(number, pages),
                "count": pages,
                "previous": min(number - 1, pages) if number > 1 else None,
                "next": number + 1 if number < pages else None,
            },
            "query": query.urlencode(),
            "near": arguments.get("near"),
        }
    )
    return render(request, "volunteering/search.html", context)


def _public_opportunity(pk):
    opportunity = selectors.public_opportunity(pk)
    if opportunity is None:
        raise Http404
    return opportunity


@require_safe
def opportunity_detail(request, pk):
    opportunity = _public_opportunity(pk)
    shifts = selectors.upcoming_shifts(opportunity, timezone.now())
    own = selectors.own_signups_on(request.user, shifts)
    return render(
        request,
        "volunteering/opportunity.html",
        {
            "opportunity": opportunity,
            "organiser": opportunity.organiser,
            "shifts": [(shift, own.get(shift.pk)) for shift in shifts],
        },
    )


@require_safe
def organiser_detail(request, slug):
    organiser = selectors.public_organiser(slug)
    if organiser is None:
        raise Http404
    return render(
        request,
        "volunteering/organiser.html",
        {
            "organiser": organiser,
            "opportunities": selectors.public_opportunities_of(organiser)[:100],
        },
    )


@require_safe
def shift_ics(request, pk):
    """A shift for a calendar: public facts only, no names."""
    shift = selectors.public_shift(pk)
    if shift is None:
        raise Http404
    response = HttpResponse(ical.shift_ics(shift), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="shift-{shift.pk}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def sign_up(request, pk):
    shift = selectors.public_shift(pk)
    if shift is None:
        raise Http404
    opportunity = shift.opportunity
    own = selectors.own_signups_on(request.user, [shift]).get(shift.pk)
    if own is not None:
        return redirect("volunteering:signup", pk=own.pk)
    initial = {"name": request.user.full_name, "guardian_language": translation.get_language()}
    form = SignUpForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        user=request.user,
        opportunity=opportunity,
    )
    if request.method == "POST" and form.is_valid():
        try:
            signup = services.sign_up(
                shift=shift, volunteer=request.user, **form.service_arguments()
            )
        except services.VolunteeringError as error:
            _add_error(form, error, SIGNUP_FIELD_OF_CODE)
        else:
            return redirect("volunteering:signup", pk=signup.pk)
    return render(
        request,
        "volunteering/sign_up.html",
        {"shift": shift, "opportunity": opportunity, "form": form},
    )


def _own_signup(request, pk):
    signup = selectors.signup_of(request.user, pk)
    if signup is None:
        raise Http404
    return signup


@never_cache
@login_required
@require_safe
def signup_detail(request, pk):
    signup = _own_signup(request, pk)
    now = timezone.now()
    deadline = services.cancellation_deadline(signup.shift)
    return render(
        request,
        "volunteering/signup.html",
        {
            "signup": signup,
            "shift": signup.shift,
            "opportunity": signup.shift.opportunity,
            "deadline": deadline,
            "position": selectors.waiting_position(signup)
            if signup.status == SignUp.Status.WAITING
            else None,
            "may_cancel": signup.status != SignUp.Status.CANCELLED
            and signup.shift.starts_at > now
            and (signup.status not in HOLDING or now <= deadline),
            "too_late": signup.status in HOLDING and signup.shift.starts_at > now > deadline,
            "statuses": SignUp.Status,
        },
    )


@login_required
@require_POST
def signup_cancel(request, pk):
    signup = _own_signup(request, pk)
    try:
        services.cancel_signup(signup=signup, user=request.user)
    except services.VolunteeringError as error:
        messages.error(request, error.message)
        return redirect("volunteering:signup", pk=signup.pk)
    messages.success(request, _("Your sign-up is cancelled. You will get an e-mail."))
    return redirect("volunteering:mine")


@never_cache
@login_required
@require_safe
def mine(request):
    history = selectors.history_of(request.user, timezone.now())
    return render(
        request,
        "volunteering/mine.html",
        {
            "history": history,
            "organisers": selectors.organisers_of(request.user),
            "talkoot": selectors.talkoot_of(request.user)[:20],
            "statuses": SignUp.Status,
            "certificate_links": [
                (code, name, _in_language(code, "volunteering:certificate"))
                for code, name in CERTIFICATE_LANGUAGES
            ],
        },
    )


@never_cache
@login_required
@require_safe
def certificate(request):
    """The certificate of confirmed hours as a PDF, in the language of the address."""
    signups = selectors.confirmed_hours_of(request.user)
    response = HttpResponse(
        certificates.certificate_pdf(request.user, signups), content_type="application/pdf"
    )
    name = _("volunteering-certificate")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def guardian(request, token):
    """A guardian's page from the e-mailed link: the task, and consent given or
    refused. Nothing changes on GET, so a link previewer cannot consent."""
    signup = services.signup_for_guardian(token)
    if signup is None:
        raise Http404
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "consent":
                services.give_consent(token=token)
                messages.success(request, _("Thank you! Your consent is recorded."))
            elif action == "refuse":
                services.refuse_consent(token=token)
                messages.success(request, _("The sign-up is cancelled."))
            else:
                error = _("The action was not understood.")
        except services.VolunteeringError as refused:
            error = refused.message
        if error is None:
            return redirect("volunteering:guardian", token=token)
        signup.refresh_from_db()
    return render(
        request,
        "volunteering/guardian.html",
        {
            "signup": signup,
            "shift": signup.shift,
            "opportunity": signup.shift.opportunity,
            "error": error,
            "statuses": SignUp.Status,
            "open": signup.status != SignUp.Status.CANCELLED
            and signup.shift.starts_at > timezone.now(),
        },
    )


# ---------------------------------------------------------------------------- talkoot


@require_safe
def talkoot_list(request):
    return render(
        request,
        "volunteering/talkoot_list.html",
        {"talkoot": selectors.approved_talkoot(today())[:200], "rules": services.rules()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def talkoot_new(request):
    form = TalkootForm(
        request.POST if request.method == "POST" else None,
        initial={"district": request.user.district_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            talkoot = services.propose_talkoot(proposer=request.user, **form.cleaned_data)
        except services.VolunteeringError as error:
            _add_error(form, error, TALKOOT_FIELD_OF_CODE)
        else:
            messages.success(request, _("Thank you! Your talkoot waits for the city's approval."))
            return redirect("volunteering:talkoot", pk=talkoot.pk)
    return render(
        request, "volunteering/talkoot_new.html", {"form": form, "rules": services.rules()}
    )


@require_safe
def talkoot_detail(request, pk):
    talkoot = selectors.visible_talkoot(request.user, pk)
    if talkoot is None:
        raise Http404
    return render(
        request,
        "volunteering/talkoot.html",
        {
            "talkoot": talkoot,
            "own": talkoot.proposer_id == request.user.pk,
            "statuses": Talkoot.Status,
            "cancellable": talkoot.status in (Talkoot.Status.WAITING, Talkoot.Status.APPROVED)
            and talkoot.starts_on > today(),
        },
    )


@login_required
@require_POST
def talkoot_cancel(request, pk):
    talkoot = selectors.visible_talkoot(request.user, pk)
    if talkoot is None or talkoot.proposer_id != request.user.pk:
        raise Http404
    try:
        services.cancel_talkoot(talkoot=talkoot, user=request.user)
    except services.VolunteeringError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your talkoot is cancelled."))
    return redirect("volunteering:talkoot", pk=talkoot.pk)


# ---------------------------------------------------------------------------- invitations


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    found = services.invitation_for(token)
    if found is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            organiser = services.accept_invitation(token=token, user=request.user)
        except services.VolunteeringError as refused:
            error = refused.message
        else:
            messages.success(
                request, _("You are now a member of %(name)s.") % {"name": organiser.name}
            )
            return redirect("volunteering:manage_organiser", slug=organiser.slug)
    return render(
        request,
        "volunteering/invitation.html",
        {"invitation": found, "organiser": found.organiser, "error": error},
    )
