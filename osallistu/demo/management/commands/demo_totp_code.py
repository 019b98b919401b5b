from django.core.management.base import BaseCommand
from django_otp.oath import totp

from osallistu.demo.people import DEMO_TOTP_KEY_HEX


class Command(BaseCommand):
    help = "Print the current two-step code of the demo staff accounts (demo only)."

    def handle(self, *args, **options):
        self.stdout.write(f"{totp(bytes.fromhex(DEMO_TOTP_KEY_HEX)):06d}")
