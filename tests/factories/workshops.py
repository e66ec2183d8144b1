import datetime as dt

import factory

from oncoreach.workshops.enums import trip_status_for
from oncoreach.workshops.models import (
    Course,
    CourseTemplate,
    FacultyInvitation,
    FacultySlot,
    Module,
    Registration,
    Session,
    Travel,
)
from tests.factories.people import OrganizationFactory, PersonFactory
from tests.factories.programs import ProgramFactory
from tests.factories.travel import TripFactory


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    name = factory.Sequence(lambda n: f"Module {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")


class CourseTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseTemplate
        django_get_or_create = ("name",)

    name = "Multidisciplinary Cancer Management Course"
    course_type = "mcmc"


class CourseFactory(factory.django.DjangoModelFactory):
    """An open course in 2027 (dates far enough ahead of the frozen test clock)."""

    class Meta:
        model = Course

    template = factory.SubFactory(CourseTemplateFactory)
    program = factory.SubFactory(ProgramFactory, slug="mcmc", name="MCMC")
    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    host_organization = factory.SubFactory(OrganizationFactory)
    country = factory.SelfAttribute("host_organization.country")
    city = "Kathmandu"
    start_date = dt.date(2027, 3, 5)
    end_date = dt.date(2027, 3, 7)
    time_zone = "Asia/Kathmandu"
    languages = factory.LazyFunction(lambda: ["en"])
    capacity = 40
    status = "open"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    day = factory.SelfAttribute("course.start_date")
    start_time = dt.time(9, 0)
    end_time = dt.time(10, 30)
    title = factory.Sequence(lambda n: f"Session {n}")


class FacultySlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacultySlot

    course = factory.SubFactory(CourseFactory)
    role = "medical_oncologist"


class FacultyInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacultyInvitation

    slot = factory.SubFactory(FacultySlotFactory)
    person = factory.SubFactory(PersonFactory, is_volunteer=True)
    status = "proposed"


class TravelFactory(factory.django.DjangoModelFactory):
    """Faculty travel with its ``travel.Trip``: the invited person to the course, the visa-letter
    flag given as ``visa_letter_needed``, the status mapped from booking and invitation."""

    class Meta:
        model = Travel

    class Params:
        visa_letter_needed = False

    invitation = factory.SubFactory(FacultyInvitationFactory, status="accepted")
    booking_status = "not_started"
    trip = factory.SubFactory(
        TripFactory,
        traveller=factory.SelfAttribute("..invitation.person"),
        purpose="workshop_faculty",
        title=factory.SelfAttribute("..invitation.slot.course.title"),
        city=factory.SelfAttribute("..invitation.slot.course.city"),
        country=factory.SelfAttribute("..invitation.slot.course.country"),
        start_date=factory.SelfAttribute("..invitation.slot.course.start_date"),
        end_date=factory.SelfAttribute("..invitation.slot.course.end_date"),
        visa_letter_needed=factory.SelfAttribute("..visa_letter_needed"),
        status=factory.LazyAttribute(
            lambda trip: trip_status_for(
                booking_status=trip.factory_parent.booking_status,
                invitation_status=trip.factory_parent.invitation.status,
            )
        ),
    )


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    course = factory.SubFactory(CourseFactory)
    person = factory.SubFactory(PersonFactory)
    status = "accepted"


def open_intake(course, *, actor=None):
    """Open the course's registration call (the real service), returning the call."""
    from oncoreach.workshops.services import open_registration

    return open_registration(course=course, actor=actor)


def submitted_registration(course, person=None, *, status="eligible"):
    """A registration whose application is submitted and judged (set up directly, not via services)."""
    from oncoreach.programs.models import ResponseSet
    from tests.factories.calls import ApplicationFactory

    person = person or PersonFactory()
    call = course.intake_call or open_intake(course)
    application = ApplicationFactory(
        call=call,
        applicant=person,
        status=status,
        response_set=ResponseSet.objects.create(form=call.form, respondent=person),
    )
    return RegistrationFactory(course=course, person=person, application=application, status="pending")
