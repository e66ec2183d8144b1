from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    """A mail transport that is always down, to exercise retries."""

    def send_messages(self, email_messages):
        raise ConnectionError("boom")
