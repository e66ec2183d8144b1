from django.core.management.base import BaseCommand

from oncoreach.core.services import send_due_emails


class Command(BaseCommand):
    help = "Send queued e-mails whose time has come (retries failed ones with backoff). Run by a scheduler."

    def handle(self, *args: object, **options: object) -> None:
        sent = send_due_emails()
        if options["verbosity"]:
            self.stdout.write(f"sent {sent} e-mail(s)")
