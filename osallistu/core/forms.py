from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


class DescribedBoundField(BoundField):
    """A field whose input points at its error message as well as its help text,
    so a screen reader reads the error when the input gets focus."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors and self.auto_id:
            described_by = [attrs.get("aria-describedby", ""), f"{self.auto_id}_error"]
            attrs["aria-describedby"] = " ".join(part for part in described_by if part)
        return attrs


class FormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = DescribedBoundField
