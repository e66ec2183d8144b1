"""Fault experiments against the local multi-node deployment (`make test-faults`).

Starts deploy/localcluster.py (PostgreSQL, Redis, fake SMTP relay, two gunicorn app servers, two
workers, the periodic job) and runs, one after the other:

1. db-restart   "get involved" inquiries posted through the real form on both app servers while
                PostgreSQL restarts (fast mode: every connection cut);
2. worker-kill  the same load while one worker is SIGKILLed every 3 s (and restarted, as systemd does);
3. smtp-down    inquiries while the relay is down; then the relay comes back;
4. redis-down   anonymous pages and inquiries while Redis is down.

Each inquiry queues two staff e-mails in the same transaction. For each experiment it prints the
inquiries acknowledged (the form redirected to "thank you"), stored, lost (acknowledged but not
stored) and duplicated, and the e-mails expected, delivered (distinct Message-IDs at the relay),
lost and duplicated; and, for the database restart, how many seconds requests kept failing after
PostgreSQL was back. A client retries a failed submission twice with the same form token, as a
person pressing the button again would. Exits 1 when an acknowledged inquiry or an e-mail is lost,
anything is stored or sent twice, an anonymous page fails while Redis is down, or a worker exits
on its own. Everything runs on loopback and every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import re
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "deploy"))
from localcluster import Cluster

FORM = "/en/people/get-involved/"
PAGES = ["/en/", "/en/stories/", "/en/workshops/", "/en/calls/", "/en/countries/", "/robots.txt"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOPIC = re.compile(r'name="topic" value="([^"]+)"')


@dataclass
class Submission:
    token: str
    acknowledged: bool = False
    attempts: list[tuple[float, bool]] = field(default_factory=list)


class FormClient:
    """One visitor: fetches the form once (CSRF cookie and token), then posts inquiries."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""
        self.csrf = ""
        self.topic = ""

    def _request(self, method: str, path: str, body: str = "") -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Host": "127.0.0.1", "Cookie": self.cookie}
        if method == "POST":
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/",
            }
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def prepare(self) -> bool:
        try:
            status, headers, html = self._request("GET", FORM)
        except OSError:
            return False
        cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
        csrf, topic = CSRF.search(html), TOPIC.search(html)
        if status != 200 or not (cookie and csrf and topic):
            return False
        self.cookie, self.csrf, self.topic = f"csrftoken={cookie.group(1)}", csrf.group(1), topic.group(1)
        return True

    def submit(self, token: str) -> bool:
        from urllib.parse import urlencode

        body = urlencode(
            {
                "csrfmiddlewaretoken": self.csrf,
                "name": "Fault Test",
                "email": f"visitor-{token[:8]}@example.org",
                "topic": self.topic,
                "message": f"Fault experiment inquiry {token}",
                "website": "",
                "token": token,
            }
        )
        try:
            status, headers, _ = self._request("POST", FORM, body)
        except OSError:
            return False
        return status == 302 and "thank-you" in headers.get("Location", "")


def post_inquiries(
    ports: tuple[int, ...], *, seconds: float, clients: int = 4, pause: float = 0.15
) -> list[Submission]:
    """``clients`` visitors, spread over the app servers, each posting an inquiry every ``pause`` s."""
    submissions: list[Submission] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def visitor(port: int) -> None:
        client = FormClient(port)
        while time.monotonic() < deadline:
            if not client.csrf and not client.prepare():
                time.sleep(0.2)
                continue
            submission = Submission(token=str(uuid.uuid4()))
            with lock:
                submissions.append(submission)
            for _ in range(3):
                ok = client.submit(submission.token)
                submission.attempts.append((time.time(), ok))
                if ok:
                    submission.acknowledged = True
                    break
                time.sleep(0.3)
            time.sleep(pause)

    threads = [threading.Thread(target=visitor, args=(ports[n % len(ports)],)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return submissions


class Ledger:
    """Counts in the database and at the relay for one experiment's submissions."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster

    def _query(self, sql: str, params: list[object]) -> list[tuple[object, ...]]:
        with psycopg.connect(self.cluster.database_url, connect_timeout=5) as connection:
            return connection.execute(sql, params).fetchall()

    def inquiries(self, tokens: list[str]) -> list[tuple[int, str]]:
        return [(int(pk), str(token)) for pk, token in self._query(
            "SELECT id, submission_token::text FROM people_inquiry WHERE submission_token::text = ANY(%s)", [tokens]
        )]  # fmt: skip

    def outbox(self, inquiry_ids: list[int]) -> list[tuple[int, str]]:
        keys = [f"people.inquiry:{pk}" for pk in inquiry_ids]
        return [(int(pk), str(status)) for pk, status in self._query(
            "SELECT id, status FROM core_outboundemail WHERE event_key = ANY(%s)", [keys]
        )]  # fmt: skip

    def busy_worker(self) -> str | None:
        """The cluster service of a worker running a task now (its id ends in host-pid-suffix)."""
        try:
            rows = self._query("SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'", [])
        except psycopg.Error:
            return None
        for (worker_ids,) in rows:
            if worker_ids:
                name = self.cluster.service_of_pid(int(worker_ids[-1].rsplit("-", 2)[-2]))
                if name:
                    return name
        return None

    def running_tasks(self) -> int:
        return int(
            self._query("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'", [])[0][0]
        )

    def log_lines(self, prefix: str, text: str) -> list[int]:
        return [path.read_text().count(text) for path in self.cluster.logs.glob(f"{prefix}*.log")]

    def deliveries(self) -> collections.Counter[int]:
        counts: collections.Counter[int] = collections.Counter()
        for line in self.cluster.smtp_log.read_text().splitlines():
            match = re.match(r"<outbox-(\d+)-", json.loads(line)["message_id"])
            if match:
                counts[int(match.group(1))] += 1
        return counts

    def wait_for_outbox(self, inquiry_ids: list[int], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if all(status in ("sent", "failed") for _, status in self.outbox(inquiry_ids)):
                    return
            except psycopg.OperationalError:
                pass
            time.sleep(0.5)

    def count(self, name: str, submissions: list[Submission], **notes: object) -> dict[str, object]:
        tokens = [s.token for s in submissions]
        stored = self.inquiries(tokens)
        ids = [pk for pk, _ in stored]
        self.wait_for_outbox(ids)
        mails = self.outbox(ids)
        delivered = self.deliveries()
        ours = {pk: delivered[pk] for pk, _ in mails if delivered[pk]}
        stored_tokens = collections.Counter(token for _, token in stored)
        acknowledged = [s.token for s in submissions if s.acknowledged]
        attempts = dict(self._query("SELECT id, attempts FROM core_outboundemail WHERE id = ANY(%s)", [list(ours)]))
        return {
            "experiment": name,
            "submitted": len(submissions),
            "acknowledged": len(acknowledged),
            "stored": len(stored_tokens),
            "lost": sum(1 for token in acknowledged if token not in stored_tokens),
            "duplicated": sum(n - 1 for n in stored_tokens.values()),
            "mails_expected": 2 * len(stored_tokens),
            "mails_queued": len(mails),
            "mails_delivered": len(ours),
            "mails_lost": 2 * len(stored_tokens) - len(ours),
            "mails_duplicated": sum(n - 1 for n in ours.values()),
            # A copy sent twice is explained only if its first sender was killed mid-send: then the
            # row was claimed again after its lease (attempts >= 2).
            "mails_duplicated_first_attempt": sum(1 for pk, n in ours.items() if n > 1 and attempts[pk] < 2),
            **notes,
        }


def error_seconds(submissions: list[Submission], *, back_at: float) -> tuple[int, float]:
    """Failed requests, and seconds from PostgreSQL being back to the last failed request."""
    failures = [at for s in submissions for at, ok in s.attempts if not ok]
    late = [at for at in failures if at >= back_at]
    return len(failures), round(max(late) - back_at, 2) if late else 0.0


def experiment_db_restart(cluster: Cluster, ledger: Ledger) -> dict[str, object]:
    times: dict[str, float] = {}

    def restart() -> None:
        time.sleep(5)
        times["down"] = time.time()
        cluster.restart_postgres()
        times["back"] = time.time()

    starts = {name: s.starts for name, s in cluster.services.items()}
    restarter = threading.Thread(target=restart)
    restarter.start()
    submissions = post_inquiries(cluster.web_ports, seconds=14)
    restarter.join()
    failed, after = error_seconds(submissions, back_at=times["back"])
    exits = sum(s.starts - starts[name] for name, s in cluster.services.items())
    return ledger.count(
        "db-restart",
        submissions,
        failed_requests=failed,
        restart_seconds=round(times["back"] - times["down"], 2),
        error_seconds_after_restart=after,
        process_exits=exits,
    )


def experiment_worker_kill(cluster: Cluster, ledger: Ledger) -> dict[str, object]:
    """Every 3 s, SIGKILL the worker that is running a task (the outbox drain) if one is, else worker1."""
    kills: collections.Counter[str] = collections.Counter()
    stop = threading.Event()

    def killer() -> None:
        while not stop.wait(3):
            victim = ledger.busy_worker() or "worker1"
            cluster.kill(victim)
            kills[victim] += 1

    thread = threading.Thread(target=killer)
    thread.start()
    submissions = post_inquiries(cluster.web_ports, seconds=18)
    stop.set()
    thread.join()
    result = ledger.count("worker-kill", submissions, sigkills=dict(kills))
    # The drain tasks the killed workers were running must come back (heartbeat silent for 5 s).
    deadline = time.monotonic() + 30
    while ledger.running_tasks() and time.monotonic() < deadline:
        time.sleep(0.5)
    reclaimed = ledger._query("SELECT count(*) FROM core_outboundemail WHERE attempts > 1", [])[0][0]
    return result | {
        "tasks_recovered": sum(ledger.log_lines("", "put back in the queue")),
        "tasks_still_running": ledger.running_tasks(),
        "mails_reclaimed_after_lease": reclaimed,
    }


def experiment_smtp_down(cluster: Cluster, ledger: Ledger) -> dict[str, object]:
    cluster.stop_service("smtp")
    before = sum(ledger.deliveries().values())
    submissions = post_inquiries(cluster.web_ports, seconds=6)
    time.sleep(3)
    delivered_while_down = sum(ledger.deliveries().values()) - before
    cluster.start_service("smtp")
    return ledger.count("smtp-down", submissions, delivered_while_down=delivered_while_down)


def experiment_redis_down(cluster: Cluster, ledger: Ledger) -> dict[str, object]:
    pages = [path for path in PAGES if page_status(cluster.web_ports[0], path) == 200]
    cluster.stop_service("redis")
    statuses: collections.Counter[int] = collections.Counter()
    result: list[Submission] = []
    poster = threading.Thread(target=lambda: result.extend(post_inquiries(cluster.web_ports, seconds=6, clients=2)))
    poster.start()
    deadline = time.monotonic() + 6
    while time.monotonic() < deadline:
        for port in cluster.web_ports:
            for path in pages:
                statuses[page_status(port, path)] += 1
    poster.join()
    cluster.start_service("redis")
    time.sleep(1)
    after = collections.Counter(page_status(port, path) for port in cluster.web_ports for path in pages)
    return ledger.count(
        "redis-down",
        result,
        page_requests=sum(statuses.values()),
        page_errors=sum(n for status, n in statuses.items() if status != 200),
        page_errors_after_redis_back=sum(n for status, n in after.items() if status != 200),
    )


def page_status(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        connection.close()


EXPERIMENTS = {
    "db-restart": experiment_db_restart,
    "worker-kill": experiment_worker_kill,
    "smtp-down": experiment_smtp_down,
    "redis-down": experiment_redis_down,
}


def problems(result: dict[str, object]) -> list[str]:
    """What fails the run. A mail may reach the relay twice only when its sender was SIGKILLed
    between the relay's acceptance and the database write (exactly-once is impossible over SMTP;
    the copies share one Message-ID): so at most one duplicate per kill, each a re-claimed mail."""
    found = [key for key in ("lost", "duplicated", "mails_lost", "mails_duplicated_first_attempt") if result[key]]
    kills = sum(result.get("sigkills", {}).values())  # type: ignore[attr-defined]
    if int(result["mails_duplicated"]) > kills:  # type: ignore[call-overload]
        found.append("mails_duplicated")
    if result.get("page_errors") or result.get("page_errors_after_redis_back"):
        found.append("page_errors")
    if result.get("process_exits"):
        found.append("process_exits")
    if result.get("tasks_still_running"):
        found.append("tasks_still_running")
    if result.get("sigkills") == {}:
        found.append("no_sigkill")
    if result.get("delivered_while_down"):
        found.append("delivered_while_down")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("experiments", nargs="*", help=f"some of {', '.join(EXPERIMENTS)} (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the cluster's directory (logs) afterwards")
    args = parser.parse_args()
    unknown = set(args.experiments) - set(EXPERIMENTS)
    if unknown:
        parser.error(f"unknown experiments: {', '.join(sorted(unknown))}")
    args.experiments = args.experiments or list(EXPERIMENTS)
    started = time.monotonic()
    # A slow relay (20 ms a message) keeps the sending worker busy, so kills land mid-send.
    cluster = Cluster(smtp_delay=0.02)
    results = []
    try:
        cluster.start()
        print(f"cluster up in {time.monotonic() - started:.0f} s ({cluster.root})", flush=True)
        ledger = Ledger(cluster)
        for name in args.experiments:
            result = EXPERIMENTS[name](cluster, ledger)
            results.append(result)
            print(json.dumps(result), flush=True)
    finally:
        cluster.stop(keep=args.keep)
    print(f"\n{'experiment':12} {'acknowledged':>12} {'stored':>6} {'lost':>4} {'duplicated':>10}   "
          f"{'mails':>5} {'delivered':>9} {'lost':>4} {'duplicated':>10}   notes")  # fmt: skip
    failed = False
    for result in results:
        notes = {k: v for k, v in result.items() if k not in {
            "experiment", "submitted", "acknowledged", "stored", "lost", "duplicated", "mails_expected",
            "mails_queued", "mails_delivered", "mails_lost", "mails_duplicated",
            "mails_duplicated_first_attempt"}}  # fmt: skip
        issues = problems(result)
        failed = failed or bool(issues)
        print(
            f"{result['experiment']:12} {result['acknowledged']:>12} {result['stored']:>6} {result['lost']:>4} "
            f"{result['duplicated']:>10}   {result['mails_expected']:>5} {result['mails_delivered']:>9} "
            f"{result['mails_lost']:>4} {result['mails_duplicated']:>10}   "
            + " ".join(f"{k}={v}" for k, v in notes.items())
            + (f"  FAILED: {', '.join(issues)}" if issues else "")
        )
    print(f"\n{len(results)} experiments in {time.monotonic() - started:.0f} s: {'FAILED' if failed else 'all passed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
