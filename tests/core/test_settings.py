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
