"""The background worker on several nodes: database errors, killed workers, old rows, one periodic run."""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from oncoreach.core import taskqueue
from oncoreach.core.models import OutboundEmail, WorkerHeartbeat
from oncoreach.core.services import queue_email
from oncoreach.core.taskqueue import job_lock, recover_orphaned_tasks

pytestmark = [pytest.mark.integration]


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queue_mail(django_capture_on_commit_callbacks, key="w:1"):
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(event_key=key, to="w@example.org", template="core/email/test", context={"name": "W"})


def _running_task(*, worker_id: str, started: dt.datetime, runs: int = 1) -> DBTaskResult:
    from oncoreach.core.tasks import task_send_outbox

    result = task_send_outbox.enqueue()
    earlier = [f"earlier-{n}" for n in range(runs - 1)]
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", started_at=started, worker_ids=[*earlier, worker_id]
    )
    return DBTaskResult.objects.get(pk=result.id)


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # the worker commits; later tests keep the migrations' data
def test_worker_survives_a_database_restart_and_then_runs_the_queue(
    database_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    """`get_locked` raised OperationalError and ended db_worker; now the worker backs off and goes on."""
    _queue_mail(django_capture_on_commit_callbacks)
    real_get_locked = DBTaskResultQuerySet.get_locked
    failures = iter([OperationalError("server closed the connection unexpectedly")] * 3)

    def get_locked_during_restart(queryset):
        error = next(failures, None)
        if error is not None:
            raise error
        return real_get_locked(queryset)

    pauses = []
    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", get_locked_during_restart)
    monkeypatch.setattr(taskqueue.random, "uniform", lambda low, high: 1.0)
    monkeypatch.setattr("oncoreach.core.management.commands.worker.time.sleep", pauses.append)
    call_command("worker", "--once")
    assert pauses == [0.5, 1.0, 2.0]
    assert (OutboundEmail.objects.get().status, DBTaskResult.objects.get().status) == ("sent", "SUCCESSFUL")


def test_task_of_a_killed_worker_goes_back_to_the_queue(db, database_tasks, settings):
    settings.WORKER_DEAD_AFTER_SECONDS = 60
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="dead", hostname="node-1", pid=1, started_at=now, seen_at=now - dt.timedelta(seconds=90)
    )
    task = _running_task(worker_id="dead", started=now - dt.timedelta(seconds=80))
    assert recover_orphaned_tasks(now=now) == 1
    task.refresh_from_db()
    assert (task.status, task.started_at) == ("READY", None)


def test_task_of_a_live_worker_is_left_alone(db, database_tasks, settings):
    settings.WORKER_DEAD_AFTER_SECONDS = 60
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="alive", hostname="node-1", pid=1, started_at=now, seen_at=now)
    task = _running_task(worker_id="alive", started=now - dt.timedelta(hours=2))
    assert recover_orphaned_tasks(now=now) == 0
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_task_that_killed_its_worker_each_time_fails_for_good(db, database_tasks, settings):
    settings.WORKER_DEAD_AFTER_SECONDS, settings.TASK_MAX_RUNS = 60, 3
    now = timezone.now()
    task = _running_task(worker_id="gone", started=now - dt.timedelta(seconds=61), runs=3)
    assert recover_orphaned_tasks(now=now) == 1
    task.refresh_from_db()
    assert (task.status, task.exception_class_path) == ("FAILED", "oncoreach.core.taskqueue.WorkerDied")


def test_worker_writes_a_heartbeat(db):
    started = timezone.now()
    taskqueue.beat(worker_id="w-1", started_at=started)
    taskqueue.beat(worker_id="w-1", started_at=started)
    heartbeat = WorkerHeartbeat.objects.get()
    assert (heartbeat.worker_id, heartbeat.started_at) == ("w-1", started)


def test_periodic_job_recovers_orphans_and_prunes_old_task_rows(db, database_tasks, settings):
    settings.WORKER_DEAD_AFTER_SECONDS, settings.TASK_RESULTS_KEEP_DAYS = 60, 14
    settings.PERIODIC_COMMANDS = []
    from oncoreach.core.tasks import task_send_outbox

    now = timezone.now()
    old, recent = task_send_outbox.enqueue(), task_send_outbox.enqueue()
    DBTaskResult.objects.filter(pk=old.id).update(status="SUCCESSFUL", finished_at=now - dt.timedelta(days=15))
    DBTaskResult.objects.filter(pk=recent.id).update(status="SUCCESSFUL", finished_at=now - dt.timedelta(days=1))
    orphan = _running_task(worker_id="killed", started=now - dt.timedelta(seconds=120))
    call_command("run_periodic", verbosity=0)
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["READY", "SUCCESSFUL"]
    assert DBTaskResult.objects.get(status="READY").pk == orphan.pk


def test_periodic_jobs_run_once_when_two_nodes_start_them_together(db):
    with job_lock("test-lock") as first:
        outcome = []
        other = threading.Thread(target=lambda: outcome.append(_try_lock()))
        other.start()
        other.join()
    assert (first, outcome) == (True, [False])
    with job_lock("test-lock") as again:
        assert again is True


def _try_lock():
    from django.db import connection

    try:
        with job_lock("test-lock") as got:
            return got
    finally:
        connection.close()  # this thread's own connection (PostgreSQL: its own session)


def test_periodic_job_queues_one_drain_when_mail_is_due(db, database_tasks, settings):
    settings.PERIODIC_COMMANDS = []
    with_retry_due = queue_email(event_key="p:1", to="p@example.org", template="core/email/test", context={"name": "P"})
    assert with_retry_due is not None
    DBTaskResult.objects.all().delete()  # the drain queued after the commit ran and failed, say
    call_command("run_periodic", verbosity=0)
    call_command("run_periodic", verbosity=0)
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_background_run_whose_worker_died_is_started_again(
    db, database_tasks, settings, django_capture_on_commit_callbacks
):
    """A staff member's engine run (core.runs) was RUNNING when its worker was killed: the orphaned
    task goes back to the queue and the next worker starts the run again, so the waiting page
    gets an outcome instead of waiting for ever."""
    from django_tasks_db.management.commands.db_worker import Worker

    from oncoreach.core.enums import RunStatus
    from oncoreach.core.runs import register_runner, start_run, transition_run

    register_runner("tests.count", lambda *, run: {"done": True})
    settings.WORKER_DEAD_AFTER_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        run = start_run(kind="tests.count", actor=None, params={})
    # The first worker claimed the task, started the run, and was SIGKILLed.
    started = timezone.now() - dt.timedelta(seconds=61)
    DBTaskResult.objects.update(status="RUNNING", started_at=started, worker_ids=["gone"])
    assert transition_run(run=run, to=RunStatus.RUNNING)

    assert recover_orphaned_tasks() == 1
    # What the next worker's loop does with it (without the loop's connection housekeeping,
    # which would close the test's connection): claim the task, then run it.
    task = DBTaskResult.objects.ready().get()
    task.claim("next")
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="next",
        excluded_queue_names=[],
    ).run_task(task)

    run.refresh_from_db()
    assert (run.status, run.result, DBTaskResult.objects.get().status) == (
        RunStatus.SUCCEEDED,
        {"done": True},
        "SUCCESSFUL",
    )


def test_background_run_already_running_is_left_alone_by_a_first_attempt(db):
    """The same run queued twice (never by our code) is not started twice."""
    from oncoreach.core.enums import RunStatus
    from oncoreach.core.runs import execute_run, register_runner, start_run, transition_run

    calls = []
    register_runner("tests.once", lambda *, run: calls.append(run.pk) or {})
    run = start_run(kind="tests.once", actor=None, params={})
    transition_run(run=run, to=RunStatus.RUNNING)

    execute_run(run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, calls) == (RunStatus.RUNNING, [])
