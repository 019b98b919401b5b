from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from osallistu.areas.helsinki import load_helsinki_areas
from osallistu.demo.budgeting import build_budgeting
from osallistu.demo.coaches import build_coaches
from osallistu.demo.feedback import DEMO_API_KEY, build_feedback
from osallistu.demo.initiatives import build_initiatives
from osallistu.demo.monitoring import build_monitoring
from osallistu.demo.people import DEMO_PASSWORD, age_label, build_people, demo_totp_secret
from osallistu.demo.premises import build_premises
from osallistu.demo.surveys import build_surveys
from osallistu.demo.volunteering import build_volunteering


class Command(BaseCommand):
    help = "Build the demo Helsinki: districts, residents and staff. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="Printed address.")

    def handle(self, *args, url, **options):
        with translation.override("en"):
            self._build(url)

    def _build(self, url):
        load_helsinki_areas()
        residents, staff = build_people()
        today = timezone.localdate()
        rounds = build_budgeting(today)
        consultations = build_surveys(today)
        premises = build_premises(today)
        initiatives, _registry = build_initiatives(today)
        feedback, feedback_staff = build_feedback(today)
        coaches, coach_counts = build_coaches(today)
        volunteering = build_volunteering(today)
        monitoring = build_monitoring(today)
        out = self.stdout
        out.write(self.style.SUCCESS("Demo Helsinki is ready."))
        out.write("")
        out.write(f"  Open {url}")
        out.write(f"  Every demo account's password: {DEMO_PASSWORD}")
        out.write("")
        out.write("  Residents:")
        for user in residents:
            district = user.district.name_en if user.district else "not a Helsinki resident"
            method = (
                user.get_verification_method_display() if user.verification_method else "unverified"
            )
            out.write(
                f"    {user.email:<40} {user.full_name:<16} {age_label(user):>7}  "
                f"{district}, {method}, {user.preferred_language}"
            )
        out.write("")
        out.write("  Staff (staff pages and /admin/ ask for a code from an authenticator app):")
        for user in staff:
            role = user.roles.select_related("area").first()
            out.write(f"    {user.email:<40} {role}")
        out.write(f"  Authenticator key for every demo staff account: {demo_totp_secret()}")
        out.write("  (or print the current code: .venv/bin/python manage.py demo_totp_code)")
        out.write("")
        out.write("  Participatory budgeting:")
        for budgeting_round, note in rounds:
            out.write(
                f"    {url}en/budgeting/{budgeting_round.slug}/  {budgeting_round.name_en} ({note})"
            )
        out.write("")
        out.write(f"  Surveys and hearings ({url}en/surveys/):")
        for consultation, note in consultations:
            out.write(f"    {consultation}: {note}")
        out.write("")
        out.write(f"  City premises ({url}en/premises/): {premises}")
        out.write("")
        out.write(f"  Residents' initiatives ({url}en/initiatives/):")
        for initiative, note in initiatives:
            out.write(f"    {url}en/initiatives/{initiative.pk}/  {initiative.title} ({note})")
        out.write("")
        out.write(f"  Feedback ({url}en/feedback/): {feedback}")
        out.write("  Feedback staff (the same password and authenticator key):")
        for user in feedback_staff:
            division = user.feedback_divisions.select_related("division").first().division
            role = user.roles.select_related("area").filter(role="feedback").first()
            where = role.area.name_en if role.area else "whole city"
            out.write(f"    {user.email:<40} {division.name_en} ({where})")
        out.write(f"  Open311 API: {url}open311/v2/services.json, API key for POST: {DEMO_API_KEY}")
        out.write("")
        out.write(f"  Districts and coaches ({url}en/districts/): {coach_counts}")
        out.write("  Coaches (desk at /en/coaches/desk/):")
        for line in coaches:
            out.write(line)
        out.write(f"  Volunteering ({url}en/volunteering/): {volunteering}")
        out.write("    aino.virtanen@example.fi manages Kallion Kumppanit ry's opportunities")
        out.write(f"  Monitoring ({url}en/monitoring/): {monitoring}")
