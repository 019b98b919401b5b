from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def staff_member_with_mfa(view):
    """Staff pages: signed in, staff, and past the second factor in this session."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied
        if not request.user.is_verified():
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:mfa_verify')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped
