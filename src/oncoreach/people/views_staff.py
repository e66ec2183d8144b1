"""Staff pages about one person: everything the program holds about them, with links.

Other apps add their parts (applications, reviews, courses, volunteer work) through
``people.selectors.register_person_section``, so this module never imports them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.people import selectors


@login_required
def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_staff(user=request.user, pk=pk)
    context = {
        "person": person,
        "roles": selectors.roles_for_user(user=person.user, person=person),
        "affiliations": list(selectors.affiliations_for_person(person=person)),
        "inquiries": list(selectors.inquiries_for_person(person=person)),
        "sections": selectors.person_sections_for_staff(user=request.user, person=person),
        "nav_section": "dashboard",
    }
    return render(request, "people/person_detail.html", context)
