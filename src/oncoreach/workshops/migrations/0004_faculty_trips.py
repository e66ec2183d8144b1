"""A travel.Trip for every faculty travel record (docs/decisions.md §21).

Forward: every accepted, booked or completed invitation without a travel record gets one (the
staff list of trips showed those invitations already); then each travel record without a trip
gets one: the invited person travels to the course (title, city, country, dates) to teach, with
the record's visa-letter flag, and the status that ``workshops.enums.trip_status_for`` gives its
booking and invitation (the one mapping, also used by the services).

Backward: the visa-letter flag goes back onto the travel record and the trips are deleted
(booking, itinerary, per diem and reimbursement never left the record).
"""

from django.db import migrations

from oncoreach.workshops.enums import FILLING_STATUSES, trip_status_for

FACULTY = "workshop_faculty"


def make_trips(apps, schema_editor):
    Travel = apps.get_model("workshops", "Travel")
    FacultyInvitation = apps.get_model("workshops", "FacultyInvitation")
    Trip = apps.get_model("travel", "Trip")
    Travel.objects.bulk_create(
        Travel(invitation=invitation)
        for invitation in FacultyInvitation.objects.filter(status__in=sorted(FILLING_STATUSES), travel__isnull=True)
    )
    # Read first, then write: the loop changes the column the query filters on.
    travels = list(Travel.objects.filter(trip__isnull=True).select_related("invitation__slot__course").order_by("pk"))
    for travel in travels:
        invitation = travel.invitation
        course = invitation.slot.course
        trip = Trip.objects.create(
            traveller_id=invitation.person_id,
            purpose=FACULTY,
            title=course.title[:200],
            city=course.city[:100],
            country_id=course.country_id,
            start_date=course.start_date,
            end_date=course.end_date,
            status=trip_status_for(booking_status=travel.booking_status, invitation_status=invitation.status),
            visa_letter_needed=travel.visa_letter_needed,
        )
        Travel.objects.filter(pk=travel.pk).update(trip=trip)


def unmake_trips(apps, schema_editor):
    Travel = apps.get_model("workshops", "Travel")
    Trip = apps.get_model("travel", "Trip")
    trip_ids = []
    for travel in list(Travel.objects.filter(trip__isnull=False).select_related("trip").order_by("pk")):
        Travel.objects.filter(pk=travel.pk).update(visa_letter_needed=travel.trip.visa_letter_needed, trip=None)
        trip_ids.append(travel.trip_id)
    Trip.objects.filter(pk__in=trip_ids).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('travel', '0001_trip'),
        ('workshops', '0003_travel_trip'),
    ]

    operations = [
        migrations.RunPython(make_trips, unmake_trips),
    ]
