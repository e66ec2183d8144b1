import factory

from oncoreach.programs.models import FormDefinition, FormVersion, Program, Question


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    kind = "course"


class FormDefinitionFactory(factory.django.DjangoModelFactory):
    """A form with an empty version 1 (every form has a current version)."""

    class Meta:
        model = FormDefinition
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Form {n}")
    version = factory.RelatedFactory("tests.factories.programs.FormVersionFactory", factory_related_name="form")


class FormVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormVersion

    form = factory.SubFactory(FormDefinitionFactory, version=None)
    number = 1


def _current_version(form: FormDefinition) -> FormVersion:
    version = form.versions.order_by("-number").first()
    return version or FormVersion.objects.create(form=form, number=1)


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question in the form's current version: ``QuestionFactory(form=f)``, or a column with
    ``parent=group``."""

    class Meta:
        model = Question
        exclude = ("form",)

    form = factory.SubFactory(FormDefinitionFactory)
    version = factory.LazyAttribute(lambda o: o.parent.version if o.parent else _current_version(o.form))
    parent = None
    key = factory.Sequence(lambda n: f"question_{n}")
    order = factory.Sequence(lambda n: n)
    kind = "short_text"
    label = factory.Sequence(lambda n: f"Question {n}?")
    required = True
