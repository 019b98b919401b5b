"""A deliberately broken site for the test that shows the fuzz checks can fail."""

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path

from osallistu.areas.models import Area


def digits(request):
    """Breaks on a digit Python's int() does not take, as a careless view would."""
    title = request.POST["title"]
    if title.isdigit():
        int(title)
    return HttpResponse("ok")


def cut(request):
    """Keeps ten characters of the title and says yes."""
    Area.objects.filter(slug="southern").update(name_fi=request.POST["title"][:10])
    return HttpResponseRedirect("/")


urlpatterns = [path("digits/", digits), path("cut/", cut)]
