"""Cohort message benchmark: queue and render 10,000 messages.

``make bench-messages`` runs ``PYTHONPATH=src .venv/bin/python benchmarks/messages/run.py``. In a
fresh SQLite database in a temporary directory (migrate, load_reference_data), it bulk-makes
10,000 people (a quarter each reading English, Spanish, French and Portuguese; nine in ten with a
login), a template in four languages, and a cohort message to all of them, then measures:

- queue: the worker's run (``messaging.services.queue_message_mail``): the cohort query, one
  rendered mail per recipient with its signed unsubscribe link, and the bulk inserts of 10,000
  outbox mails and recipient rows, in batches (goal ≤ 10 s);
- render: building every queued mail as the sender does (``core.services._message``: headers,
  Message-ID, MIME encoding to bytes), 10,000 times (goal ≤ 60 s); and the text rendering alone
  (the compiled placeholders, 10,000 times).

It prints a table and appends a dated section to benchmarks/RESULTS.md with the load average
(the machine is shared). ``--people N`` changes the size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import secrets
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
GOAL_QUEUE_S = 10.0
GOAL_RENDER_S = 60.0
LANGUAGES = ("en", "es", "fr", "pt")


def log(message: str) -> None:
    print(message, flush=True)


def setup_django(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(40)
    os.environ["DJANGO_SETTINGS_MODULE"] = "oncoreach.settings"
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"  # nothing runs the tasks
    os.environ["CACHE_URL"] = ""
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def make_people(count: int) -> None:
    from django.contrib.auth.hashers import make_password

    from oncoreach.accounts.models import User
    from oncoreach.geo.models import Country
    from oncoreach.people.models import Person

    countries = list(Country.objects.values_list("pk", flat=True))
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(email=f"bench{i}@example.org", password=password, preferred_language=LANGUAGES[i % 4])
            for i in range(count)
            if i % 10
        ],
        batch_size=1000,
    )
    by_email = {user.email: user for user in users}
    Person.objects.bulk_create(
        [
            Person(
                given_name=f"Given{i}",
                family_name=f"Family{i}",
                email=f"bench{i}@example.org",
                user=by_email.get(f"bench{i}@example.org"),
                country_of_practice_id=countries[i % len(countries)],
            )
            for i in range(count)
        ],
        batch_size=1000,
    )


def measure(people: int, *, profile: bool = False) -> dict[str, float]:
    from django.core.management import call_command
    from django.utils import timezone

    from oncoreach.core.models import OutboundEmail
    from oncoreach.core.services import _message
    from oncoreach.messaging.cohorts import CohortCriteria
    from oncoreach.messaging.models import CohortMessage
    from oncoreach.messaging.selectors import cohort_for_sending, recipient_language
    from oncoreach.messaging.services import (
        CompiledMessage,
        placeholder_values,
        queue_message_mail,
        save_template,
        send_cohort_message,
    )

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    log(f"database ready in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    make_people(people)
    log(f"{people} people made in {time.monotonic() - started:.1f} s")
    body = "Dear {full_name},\n\nThe {program} invites colleagues in {country} to apply. " * 3
    template = save_template(
        actor=None,
        name="Bench",
        subjects={code: f"[{code}] News for {{first_name}}" for code in LANGUAGES},
        bodies={code: f"[{code}] {body}" for code in LANGUAGES},
    )
    message, _created = send_cohort_message(
        actor=None,
        template=template,
        criteria=CohortCriteria(),
        names={"program": "Bench program"},
        submission_token=uuid.uuid4(),
        today=timezone.localdate(),
    )

    started, cpu = time.monotonic(), time.process_time()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        counts = profiler.runcall(queue_message_mail, message=message)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    else:
        counts = queue_message_mail(message=message)
    queue_s, queue_cpu = time.monotonic() - started, time.process_time() - cpu
    assert counts["queued"] == people, counts
    message = CohortMessage.objects.get(pk=message.pk)
    assert message.status == "queued"

    recipients = list(cohort_for_sending(CohortCriteria(), today=timezone.localdate()))
    started, cpu = time.monotonic(), time.process_time()
    compiled = CompiledMessage.of(subjects=message.subjects, bodies=message.bodies)
    for person in recipients:
        compiled.render(recipient_language(person), placeholder_values(person, names={"program": "Bench program"}))
    text_s, text_cpu = time.monotonic() - started, time.process_time() - cpu

    started, cpu = time.monotonic(), time.process_time()
    size = 0
    for mail in OutboundEmail.objects.filter(event_key__startswith=f"cohort:{message.pk}:").iterator(chunk_size=2000):
        size += len(_message(mail, None).message().as_bytes())
    render_s, render_cpu = time.monotonic() - started, time.process_time() - cpu
    return {
        "queue": queue_s,
        "queue_cpu": queue_cpu,
        "text": text_s,
        "text_cpu": text_cpu,
        "render": render_s,
        "render_cpu": render_cpu,
        "bytes": size / people,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="print a profile of the queuing step")
    args = parser.parse_args()
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-messages-") as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        figures = measure(args.people, profile=args.profile)
    load_end = os.getloadavg()[0]
    ok_queue, ok_render = figures["queue"] <= GOAL_QUEUE_S, figures["render"] <= GOAL_RENDER_S
    rows = [
        ("queue (cohort, render, bulk insert)", figures["queue"], figures["queue_cpu"], GOAL_QUEUE_S, ok_queue),
        ("render (sender's MIME message)", figures["render"], figures["render_cpu"], GOAL_RENDER_S, ok_render),
        ("text only (compiled placeholders)", figures["text"], figures["text_cpu"], None, True),
    ]
    now = dt.datetime.now(dt.UTC)
    lines = [
        "",
        f"## Cohort messages (make bench-messages) — {now:%Y-%m-%d %H:%M} UTC",
        "",
        f"Host: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, SQLite; "
        f"load average {load_start:.1f} at start, {load_end:.1f} at end (the machine is shared). "
        f"{args.people:,} bulk-made people in four languages, one message to all of them; "
        f"average mail {figures['bytes']:,.0f} bytes.",
        "",
        "| step | wall s | cpu s | goal (wall) | met |",
        "|---|---:|---:|---:|---|",
        *[
            f"| {name} | {wall:.2f} | {cpu:.2f} | {'-' if goal is None else f'≤ {goal:.0f}'} | {'yes' if ok else 'NO'} |"
            for name, wall, cpu, goal, ok in rows
        ],
    ]
    for line in lines[1:]:
        log(line)
    with RESULTS.open("a", encoding="utf-8") as results:
        results.write("\n".join(lines) + "\n")
    return 0 if ok_queue and ok_render else 1


if __name__ == "__main__":
    sys.exit(main())
