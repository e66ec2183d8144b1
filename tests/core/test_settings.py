import os
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.unit]


def _run_check(**env_overrides):
    env = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "ONCOREACH_TESTING"}
    }
    env.update({"PYTHONPATH": "src", "DJANGO_SETTINGS_MODULE": "oncoreach.settings", **env_overrides})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )


def test_production_start_without_secret_key_refuses_with_clear_message():
    result = _run_check()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("x" * 60)
    assert _run_check(SECRET_KEY_FILE=str(secret)).returncode == 0


def test_bad_integer_setting_is_named():
    result = _run_check(SECRET_KEY="x" * 60, SECURE_HSTS_SECONDS="soon")
    assert "SECURE_HSTS_SECONDS must be a whole number" in result.stderr


def _settings_of(**env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "ONCOREACH_TESTING", "DATABASE_URL", "CACHE_URL"}}
    env.update({"PYTHONPATH": "src", "DJANGO_SETTINGS_MODULE": "oncoreach.settings", "SECRET_KEY": "x" * 60})
    env.update(env_overrides)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['CONN_HEALTH_CHECKS'], s.DATABASES['default']['CONN_MAX_AGE'], "
        "s.EMAIL_TIMEOUT, s.CACHES['default']['BACKEND'])"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_postgres_connections_are_checked_before_reuse_and_smtp_has_a_timeout():
    """A database restart must not turn every kept connection into a failed request."""
    health_checks, max_age, timeout, _ = _settings_of(
        DATABASE_URL="postgres://u@db.example.org/oncoreach", EMAIL_HOST="smtp.example.org"
    )
    assert (health_checks, max_age, timeout) == ("True", "60", "15")


def test_redis_cache_is_fail_soft():
    *_, backend = _settings_of(CACHE_URL="redis://cache.example.org:6379/0", EMAIL_TIMEOUT="5")
    assert backend == "oncoreach.core.cache_backends.FailSoftRedisCache"
