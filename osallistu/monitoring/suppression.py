"""Small cells are not published: a figure about fewer than five people could point at
someone. A cell of 1–4 people is suppressed, and when a breakdown has exactly one such
cell, the next smallest is suppressed with it, so that the published total minus the
other cells does not give it away. Zero is shown: it is about nobody."""

SMALLEST_PUBLISHED = 5


def is_small(people):
    return people is not None and 0 < people < SMALLEST_PUBLISHED


def suppress(cells):
    """Mark the cells of one breakdown (``cell.people``) that are not published."""
    small = [cell for cell in cells if is_small(cell.people)]
    for cell in small:
        cell.hide()
    if len(small) == 1:
        others = [cell for cell in cells if not cell.suppressed and cell.people]
        if others:
            min(others, key=lambda cell: cell.people).hide()
    return cells
