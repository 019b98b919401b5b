"""The resources of each app, one module per app. Importing this package declares them
all (``OpendataConfig.ready``)."""

from . import (  # noqa: F401
    areas,
    budgeting,
    coaches,
    feedback,
    initiatives,
    monitoring,
    premises,
    private,
    surveys,
    volunteering,
)
