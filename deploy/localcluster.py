"""A local multi-node deployment on loopback, for fault testing (`make cluster`, `make test-faults`).

One command starts, in a throwaway directory under /tmp: PostgreSQL 15, Redis (maxmemory with
allkeys-lru, as the README asks of production), a fake SMTP relay that records what it receives
(deploy/fakesmtp.py), two gunicorn app servers, two task workers and the periodic job
(`run_periodic --every`), all with the production settings (DEBUG off, Redis cache, SMTP). A
supervisor thread restarts a worker, app server or periodic job that dies, after 0.5 s, as
systemd's Restart=always does (deploy/systemd/).

    .venv/bin/python deploy/localcluster.py     # start, print the addresses, stop on Ctrl-C

Ports (override with the environment): CLUSTER_PG_PORT 55101, CLUSTER_REDIS_PORT 6101,
CLUSTER_SMTP_PORT 2525, CLUSTER_WEB_PORTS 8101,8102. Run as root (as CI does), PostgreSQL runs as
the `postgres` user. benchmarks/faults/run.py drives the experiments against it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = str(REPO / ".venv" / "bin" / "python")
PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
RESTART_SECONDS = 0.5


@dataclass
class Service:
    name: str
    argv: list[str]
    restart: bool = True
    process: subprocess.Popen[bytes] | None = None
    stopped: bool = False  # stopped on purpose: the supervisor leaves it alone
    starts: int = 0


@dataclass
class Cluster:
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="oncoreach-cluster-")))
    pg_port: int = int(os.environ.get("CLUSTER_PG_PORT", "55101"))
    redis_port: int = int(os.environ.get("CLUSTER_REDIS_PORT", "6101"))
    smtp_port: int = int(os.environ.get("CLUSTER_SMTP_PORT", "2525"))
    web_ports: tuple[int, ...] = tuple(int(p) for p in os.environ.get("CLUSTER_WEB_PORTS", "8101,8102").split(","))
    workers: int = 2
    smtp_delay: float = 0.0
    services: dict[str, Service] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root.chmod(0o755)  # PostgreSQL runs as another user and must reach its directory
        self.logs = self.root / "logs"
        self.logs.mkdir()
        self.smtp_log = self.root / "smtp.jsonl"
        self.smtp_log.touch()
        self.pgdata = self.root / "pg"
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.database_url = f"postgres://postgres@127.0.0.1:{self.pg_port}/oncoreach"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ONCOREACH_TESTING"))},
            "PYTHONPATH": str(REPO / "src"),
            "DJANGO_SETTINGS_MODULE": "oncoreach.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
            "DATABASE_URL": self.database_url,
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_TIMEOUT": "3",
            "STAFF_NOTIFICATION_EMAILS": "staff-a@example.org,staff-b@example.org",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{self.web_ports[0]}",
            "ONCOREACH_VAR_DIR": str(self.root / "var"),
            "STATIC_ROOT": str(self.root / "static"),
            "MEDIA_ROOT": str(self.root / "media"),
            "STATIC_PRECOMPRESS": "0",
            "WEB_WORKERS": "2",
            "WEB_THREADS": "4",
            # Short clocks, so the experiments see recoveries within seconds (production: README).
            "WORKER_HEARTBEAT_SECONDS": "1",
            "WORKER_DEAD_AFTER_SECONDS": "5",
            "EMAIL_CLAIM_SECONDS": "10",
            "EMAIL_RETRY_SECONDS": "2",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",  # logs survive a SIGKILL
        }

    # --- processes ---------------------------------------------------------------------------

    def _spawn(self, service: Service) -> None:
        log = (self.logs / f"{service.name}.log").open("ab")
        service.process = subprocess.Popen(  # noqa: S603 — our own commands
            service.argv, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        service.starts += 1
        log.close()

    def add(self, name: str, argv: list[str], *, restart: bool = True) -> Service:
        service = Service(name=name, argv=argv, restart=restart)
        self.services[name] = service
        self._spawn(service)
        return service

    def _supervise(self) -> None:
        while not self._stopping.wait(0.1):
            with self._lock:
                for service in self.services.values():
                    if (
                        service.restart
                        and not service.stopped
                        and service.process
                        and service.process.poll() is not None
                    ):
                        time.sleep(RESTART_SECONDS)
                        if not self._stopping.is_set():
                            self._spawn(service)

    def service_of_pid(self, pid: int) -> str | None:
        return next((n for n, s in self.services.items() if s.process and s.process.pid == pid), None)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill a service's process (the supervisor starts it again, as systemd would)."""
        process = self.services[name].process
        if process and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)

    def stop_service(self, name: str) -> None:
        service = self.services[name]
        service.stopped = True
        self.kill(name, signal.SIGTERM)
        if service.process:
            try:
                service.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill(name)
                service.process.wait(5)

    def start_service(self, name: str) -> None:
        with self._lock:
            service = self.services[name]
            service.stopped = False
            if not service.process or service.process.poll() is not None:
                self._spawn(service)

    # --- PostgreSQL ------------------------------------------------------------------------

    def _as_postgres(self, *argv: str) -> None:
        command = [str(a) for a in argv]
        if os.geteuid() == 0:
            command = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{a}'" for a in command)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-F -c fsync=off -c synchronous_commit=off -k /tmp -p {self.pg_port} -c listen_addresses=127.0.0.1 -c max_connections=100"
        self._as_postgres(
            PGBIN / "pg_ctl", "-D", self.pgdata, "-o", options, "-l", self.root / "pg.log", "-w", action, *extra
        )

    def start_postgres(self) -> None:
        self.pgdata.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.pgdata, "postgres")
            (self.root / "pg.log").touch()
            shutil.chown(self.root / "pg.log", "postgres")
        self._as_postgres(
            PGBIN / "initdb", "-D", self.pgdata, "-U", "postgres", "-A", "trust", "--encoding=UTF8", "--locale=C.UTF-8"
        )
        self._pg_ctl("start")
        self._as_postgres(PGBIN / "createdb", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "oncoreach")

    def restart_postgres(self) -> None:
        """A fast restart: every connection is cut, as in a failover or an upgrade."""
        self._pg_ctl("restart", "-m", "fast")

    # --- the whole deployment ---------------------------------------------------------------------

    def start(self) -> None:
        self.start_postgres()
        self.add(
            "redis",
            [
                "redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru",
            ],
            restart=False,
        )  # fmt: skip
        self.add("smtp", self._smtp_argv(), restart=False)
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=REPO, env=self.env, check=True)  # noqa: S603
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=REPO, env=self.env, check=True)  # noqa: S603
        gunicorn = [str(REPO / ".venv" / "bin" / "gunicorn"), "oncoreach.wsgi:application"]
        for number, port in enumerate(self.web_ports, 1):
            self.add(f"web{number}", [*gunicorn, "--config", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"])
        for number in range(1, self.workers + 1):
            self.add(f"worker{number}", [*manage, "worker", "--interval", "0.5"])
        self.add("periodic", [*manage, "run_periodic", "--every", "5"])
        threading.Thread(target=self._supervise, daemon=True).start()
        for port in self.web_ports:
            self.wait_for(f"http://127.0.0.1:{port}/healthz")

    def _smtp_argv(self) -> list[str]:
        return [
            PYTHON, str(REPO / "deploy" / "fakesmtp.py"), "--port", str(self.smtp_port), "--log", str(self.smtp_log),
            "--delay", str(self.smtp_delay),
        ]  # fmt: skip

    @staticmethod
    def wait_for(url: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 — loopback
                    if response.status == 200:
                        return
            except OSError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.5)

    def stop(self, *, keep: bool = False) -> None:
        self._stopping.set()
        for name in reversed(list(self.services)):
            with contextlib.suppress(Exception):
                self.stop_service(name)
        with contextlib.suppress(Exception):
            self._pg_ctl("stop", "-m", "fast")
        if not keep:
            shutil.rmtree(self.root, ignore_errors=True)


def main() -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    cluster = Cluster()
    try:
        cluster.start()
        ports = ", ".join(f"http://127.0.0.1:{p}/" for p in cluster.web_ports)
        sys.stdout.write(
            f"Oncoreach cluster up in {cluster.root}\n  web: {ports}\n  PostgreSQL: {cluster.database_url}\n"
            f"  Redis: 127.0.0.1:{cluster.redis_port}  SMTP: 127.0.0.1:{cluster.smtp_port} (received: {cluster.smtp_log})\n"
            f"  logs: {cluster.logs}\nCtrl-C stops everything.\n"
        )
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
