"""A cohort message, sent by program staff through the real services: a template in four
languages, one person who unsubscribed, and a message to every applicant, queued by the same run
the worker does (so the staff pages show a finished message and its outbox mail)."""

from __future__ import annotations

import uuid

from oncoreach.core.runs import execute_run
from oncoreach.demo.world import World
from oncoreach.messaging.cohorts import CohortCriteria
from oncoreach.messaging.enums import CohortRole
from oncoreach.messaging.services import save_template, send_cohort_message, unsubscribe

SUBJECTS = {
    "en": "{first_name}, our new calls are open",
    "es": "{first_name}, nuestras nuevas convocatorias están abiertas",
    "fr": "{first_name}, nos nouveaux appels sont ouverts",
    "pt": "{first_name}, as nossas novas chamadas estão abertas",
}
BODIES = {
    "en": "Dear {full_name},\n\nThank you for applying to {society}'s programs. New awards and courses are open "
    "to colleagues in {country}: see the calls page to apply.\n\nThe international affairs team",
    "es": "Estimado/a {full_name}:\n\nGracias por postularse a los programas de {society}. Hay nuevos premios y "
    "cursos abiertos a colegas de {country}: vea la página de convocatorias.\n\nEl equipo de asuntos internacionales",
    "fr": "Cher/Chère {full_name},\n\nMerci d'avoir candidaté aux programmes de {society}. De nouveaux prix et "
    "cours sont ouverts aux collègues de {country} : voyez la page des appels.\n\nL'équipe des affaires internationales",
    "pt": "Caro/a {full_name},\n\nObrigado por se candidatar aos programas da {society}. Há novos prémios e "
    "cursos abertos a colegas de {country}: veja a página de chamadas.\n\nA equipa de assuntos internacionais",
}


def seed_messages(world: World) -> int:
    """Returns how many recipients the demo message was queued for."""
    template = save_template(actor=world.staff, name="New calls are open", subjects=SUBJECTS, bodies=BODIES)
    for person in world.lmic_people[:1]:
        unsubscribe(person=person)
    message, _created = send_cohort_message(
        actor=world.staff,
        template=template,
        criteria=CohortCriteria(role=CohortRole.APPLICANT),
        names={},
        submission_token=uuid.UUID(int=world.rng.getrandbits(128)),
        today=world.today,
    )
    if message.run_id is not None:
        execute_run(run_id=message.run_id)
    return message.recipients.filter(outcome="queued").count()
