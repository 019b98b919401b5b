"""The resources of each app, one module per app. Importing this package declares them
all (``OpendataConfig.ready``)."""

from . import areas, budgeting, initiatives, pending, premises, private, surveys  # noqa: F401
