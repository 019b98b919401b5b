from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Fields render with their label, help text and error next to the input. Django 5.2
    already points the input's aria-describedby at the help text and the error."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
