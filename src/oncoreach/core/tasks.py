"""Background tasks for the shared outbox."""

from django_tasks import task


@task()
def task_send_outbox() -> int:
    from oncoreach.core.services import send_due_emails

    return send_due_emails()


@task()
def task_execute_run(*, run_id: int) -> None:
    """Do one background run (the runner its app registered for the run's kind)."""
    from oncoreach.core.runs import execute_run

    execute_run(run_id=run_id)
