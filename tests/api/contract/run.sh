#!/usr/bin/env bash
# make test-api: schemathesis against the API as served (gunicorn on loopback, production
# settings, a small seeded SQLite database in a temporary folder), with a program-staff token
# holding every scope, so the staff endpoints are exercised too. Fails on any finding.
set -euo pipefail
cd "$(dirname "$0")/../../.."
PORT=${API_TEST_PORT:-8601}
EXAMPLES=${API_TEST_EXAMPLES:-30}
PY=.venv/bin/python
WORK=$(mktemp -d /tmp/oncoreach-api-test.XXXXXX)
export PYTHONPATH=src ONCOREACH_VAR_DIR="$WORK" DJANGO_SETTINGS_MODULE=oncoreach.settings
export SECRET_KEY="api-contract-$(date +%s)-not-a-real-secret-but-long-enough-0123456789abcdef"
# Fuzzing sends thousands of requests a minute: the limits themselves are tested in tests/api.
export API_RATE_LIMIT_ANONYMOUS=0 API_RATE_LIMIT_TOKEN=0 AXES_ENABLED=0 WEB_WORKERS=2 WEB_THREADS=4
server=""
cleanup() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT

started=$(date +%s)
$PY manage.py migrate --noinput --verbosity 0
$PY manage.py load_reference_data >/dev/null
$PY manage.py seed_demo --people 150 --seed 1 >/dev/null
TOKEN=$($PY manage.py shell --no-imports -c "
from django.contrib.auth.models import Group
from oncoreach.accounts.models import User
from oncoreach.api.scopes import SCOPES
from oncoreach.api.services import create_token
user = User.objects.create_user('api-contract@example.invalid', 'unused-password-0123', email_confirmed=True)
user.groups.add(Group.objects.get(name='Program staff'))
print(create_token(user=user, name='schemathesis', scopes=list(SCOPES), lifetime_days=7).secret)
")
echo "seeded in $(( $(date +%s) - started ))s"

.venv/bin/gunicorn oncoreach.wsgi:application --config deploy/gunicorn.conf.py --bind "127.0.0.1:$PORT" \
  --error-logfile "$WORK/gunicorn.log" &
server=$!

set +e
.venv/bin/schemathesis --config-file tests/api/contract/schemathesis.toml run \
  "http://127.0.0.1:$PORT/api/v1/openapi.json" --wait-for-schema 60 \
  --checks all --max-examples "$EXAMPLES" --seed 1 --workers 2 \
  -H "Authorization: Bearer $TOKEN"
status=$?
set -e
if [ $status -ne 0 ] && [ -s "$WORK/gunicorn.log" ]; then echo "--- server log"; tail -50 "$WORK/gunicorn.log"; fi
echo "schemathesis finished in $(( $(date +%s) - started ))s with exit status $status"
exit $status
