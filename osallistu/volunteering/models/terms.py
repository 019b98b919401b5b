"""Themes and languages that opportunities are searched by."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Term(models.Model):
    slug = models.SlugField(_("identifier"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name


class Theme(Term):
    """What a task is about: nature, children and young people, culture…"""

    class Meta(Term.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class Language(Term):
    """A language volunteers can manage with in a task."""

    class Meta(Term.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")
