"""Open data about the city's areas: names in three languages and population."""

from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from .models import Area, PostalCode


class AreaSerializer(serializers.ModelSerializer):
    postal_codes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Area
        fields = [
            "slug",
            "kind",
            "number",
            "name_fi",
            "name_sv",
            "name_en",
            "population",
            "population_year",
            "postal_codes",
        ]


class AreaList(generics.ListAPIView):
    """The city as a whole and its major districts, with the postal codes of each."""

    queryset = Area.objects.prefetch_related("postal_codes")
    serializer_class = AreaSerializer
    permission_classes = [AllowAny]
    filterset_fields = ["kind"]


class PostalCodeSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(read_only=True, slug_field="slug")

    class Meta:
        model = PostalCode
        fields = ["code", "name_fi", "name_sv", "district", "approximate"]


class PostalCodeList(generics.ListAPIView):
    """Postal codes and the district each belongs to (an approximate table)."""

    queryset = PostalCode.objects.select_related("district")
    serializer_class = PostalCodeSerializer
    permission_classes = [AllowAny]
    filterset_fields = ["district__slug"]
