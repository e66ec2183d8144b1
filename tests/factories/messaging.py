import factory

from oncoreach.messaging.models import MessageTemplate


class MessageTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessageTemplate

    name = factory.Sequence(lambda n: f"Template {n}")
    subjects = factory.LazyFunction(lambda: {"en": "News for {first_name}", "es": "Noticias para {first_name}"})
    bodies = factory.LazyFunction(
        lambda: {"en": "Dear {full_name} in {country},\nsee {program}.", "es": "Estimada/o {full_name} en {country}."}
    )
