"""Areas hold no personal data (see ``osallistu.core.personal_data``): population
figures are counts."""

from osallistu.core.personal_data import register_model

from .models import Area, EntitledVoters, Neighbourhood, Population, PostalCode

register_model(Area, other=["kind", "slug", "number", "name"])
register_model(PostalCode, other=["code", "name", "district", "approximate"])
register_model(
    Population,
    other=["year", "area", "age_from", "age_to", "gender", "count", "approximate", "source"],
)
register_model(EntitledVoters, other=["year", "count", "source"])
register_model(
    Neighbourhood,
    other=["district", "slug", "number", "name", "latitude", "longitude", "approximate"],
)
