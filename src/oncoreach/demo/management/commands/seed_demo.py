"""Build realistic, deterministic demo data for a fictional society (no fixtures: bulk inserts for
the volume, the domains' services for every lifecycle a demo login shows)."""

from __future__ import annotations

import time
from typing import Any, TextIO, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oncoreach.demo.logins import DEMO_LOGINS
from oncoreach.demo.seed import FULL_SIZE, DemoSeeder, SeedSize
from oncoreach.people.models import Person


class Command(BaseCommand):
    help = (
        "Create demo people, organizations, programs, stories and one login per role. "
        "--full builds 45,000 people, 2,000 organizations and 1,500 stories."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=6000, help="How many people (default 6,000).")
        parser.add_argument("--organizations", type=int, help="How many organizations (default: people / 15).")
        parser.add_argument("--stories", type=int, help="How many published stories (default: people / 20).")
        parser.add_argument(
            "--full", action="store_true", help="Full size: 45,000 people, 2,000 organizations, 1,500 stories."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same data.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when people already exist.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Person.objects.exists():
            self.stdout.write(f"Demo data not created: the database already has {Person.objects.count():,} people.")
            return
        if Person.objects.filter(user__email__in=[login.email for login in DEMO_LOGINS]).exists():
            raise CommandError(
                "The demo data is already in this database. Use --if-empty, or start from an empty database (make clean)."
            )
        if options["full"]:
            size = SeedSize(**FULL_SIZE)
        else:
            if options["people"] < 1:
                raise CommandError("--people must be at least 1.")
            size = SeedSize.for_people(
                options["people"], organizations=options["organizations"], stories=options["stories"]
            )
        quiet = options["verbosity"] == 0
        if not quiet:
            self.stdout.write(
                f"Seeding demo data for {settings.SOCIETY['name']} (seed {options['seed']}): "
                f"{size.people:,} people, {size.organizations:,} organizations, {size.stories:,} stories."
            )
        started = time.monotonic()
        # The raw stream, not Django's OutputWrapper (which ends every write with a newline).
        stream = cast(TextIO, self.stderr._out)
        report = DemoSeeder(size=size, seed=options["seed"], stream=stream, quiet=quiet).run()
        elapsed = time.monotonic() - started
        if quiet:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready in {elapsed:.1f} s: {report.people:,} people ({report.users:,} with a login) in "
                f"{report.countries_with_people} countries, {report.organizations:,} organizations, "
                f"{report.affiliations:,} affiliations, {report.stories:,} published stories, "
                f"{report.moderation_stories} stories in moderation, {report.programs} programs, "
                f"{report.volunteer_profiles} volunteer profiles, {report.inquiries} inquiries, "
                f"{report.memberships} membership records, a cohort message to {report.cohort_recipients} people, "
                f"{report.workshops.get('courses', 0)} courses with {report.workshops.get('invitations', 0)} "
                f"faculty invitations and {report.workshops.get('registrations', 0)} registrations, "
                f"{report.calls.get('calls', 0)} calls with {report.calls.get('applications', 0)} applications "
                f"and {report.calls.get('reviews', 0)} reviews, an IDEA / IDEA-PC cycle with "
                f"{report.awards.get('applications', 0):,} applications, {report.awards.get('reviews', 0):,} reviews "
                f"by {report.awards.get('reviewers', 0)} reviewers, {report.awards.get('shortlisted', 0)} applicants "
                f"interviewed and {report.awards.get('awards', 0)} awards, an IIG cycle with "
                f"{report.awards.get('grant_applications', 0)} letters of intent, {report.awards.get('invited', 0)} "
                f"invited to a full application and {report.awards.get('grants', 0)} grants, "
                f"{report.past_awardees:,} past awardees in the directory."
            )
        )
        if options["verbosity"] > 1:
            for stage, seconds in report.timings.items():
                self.stdout.write(f"  {stage:<20} {seconds:6.2f} s ({report.cpu.get(stage, 0):.2f} s of CPU)")
        self.stdout.write("Sign in with `manage.py print_demo_logins`.")
