"""Background tasks for the shared outbox."""

from django_tasks import TaskContext, task


@task()
def task_send_outbox() -> int:
    from oncoreach.core.services import send_due_emails

    return send_due_emails()


@task(takes_context=True)
def task_execute_run(context: TaskContext, *, run_id: int) -> None:
    """Do one background run (the runner its app registered for the run's kind). A later attempt
    means the worker of an earlier one died (core.taskqueue put the task back): start it again."""
    from oncoreach.core.runs import execute_run

    execute_run(run_id=run_id, retry=context.attempt > 1)
