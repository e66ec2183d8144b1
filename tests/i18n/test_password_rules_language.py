"""The sign-up page states the password rules in the reader's language: the rules are read when
the page renders, not once when the form module is imported (they were English for everyone)."""

import pytest
from django.urls import reverse, translate_url

pytestmark = [pytest.mark.integration]


@pytest.mark.parametrize(
    ("language", "rule"),
    [
        ("en", "Your password can’t be a commonly used password."),
        ("es", "Su contraseña no puede ser una clave utilizada comúnmente."),
        ("ar", "لا يمكن أن تكون كلمة المرور شائعة الاستخدام."),
    ],
)
def test_signup_states_the_password_rules_in_the_readers_language(client, db, language, rule):
    html = client.get(translate_url(reverse("people:signup"), language)).content.decode()

    assert rule in html
