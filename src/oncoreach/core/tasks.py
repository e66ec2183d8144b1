"""Background tasks for the shared outbox."""

from django_tasks import task


@task()
def task_send_outbox() -> int:
    from oncoreach.core.services import send_due_emails

    return send_due_emails()
