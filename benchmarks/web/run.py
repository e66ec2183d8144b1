"""Web benchmark: full-size demo data, the production server, load from a second process.

``make bench-web`` runs ``PYTHONPATH=src .venv/bin/python benchmarks/web/run.py``. It

1. builds a full-size database in a temporary directory (migrate, load_reference_data,
   seed_demo --full) and collects static files;
2. measures the query count and HTML size of each page with Django's test client and the page
   cache off (benchmarks/web/measure.py, a separate process);
3. serves the product with gunicorn and deploy/gunicorn.conf.py (DEBUG off, a SECRET_KEY, the
   public page cache on with its default lifetime) on a free loopback port, and a minimal Django
   app returning a page as big as the stories index (benchmarks/web/ceiling.py) with the same
   configuration;
4. loads the stories index, a story page, the feed, the home page, the impact page, the map
   page, the API's story list and the ceiling at 32 concurrent clients,
   after a warm-up, for a fixed time each split into interleaved rounds (page, page, page,
   ceiling, again), so each page is compared with the ceiling measured beside it even when the
   machine is shared; with `wrk` (installed from Debian when missing) or the Python load
   generator in benchmarks/web/loadgen.py;
5. prints a table and appends a dated section to benchmarks/RESULTS.md.

Everything runs on loopback, every loop is bounded, and the servers are stopped on the way out.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB = Path(__file__).resolve().parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
GOAL_RATIO = 0.5
# Issue 10: the map, impact, home pages and the API's story list, cached, at 0.8 of the ceiling;
# the staff impact dashboard for all years, uncached, under 300 ms.
GOAL_RATIO_CACHED = 0.8
GOAL_DASHBOARD_MS = 300.0
CACHED_PAGES = ("home", "impact", "map", "api_stories")
GOAL_P99_MS = 50.0


# --- helpers ------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, flush=True)


_next_port = [int(os.environ.get("BENCH_PORT_BASE", "0") or 0)]


def free_port() -> int:
    """A free loopback port; with ``BENCH_PORT_BASE`` set, that port and the ones after it (for a
    shared machine where each user has a range of ports)."""
    if _next_port[0]:
        port = _next_port[0]
        _next_port[0] += 1
        return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_step(label: str, args: list[str], env: dict[str, str], timeout: int = 900) -> float:
    log(f"- {label} …")
    started = time.monotonic()
    completed = subprocess.run(args, cwd=ROOT, env=env, timeout=timeout, check=False)
    elapsed = time.monotonic() - started
    if completed.returncode != 0:
        raise SystemExit(f"{label} failed (exit {completed.returncode}).")
    log(f"  {label}: {elapsed:.1f} s")
    return elapsed


def ensure_wrk() -> str | None:
    """`wrk` from Debian if possible; None means: use the Python load generator."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get"):
        sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
        log("- installing wrk (Debian package) …")
        subprocess.run(
            [*sudo, "apt-get", "install", "-y", "-qq", "wrk"],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=300,
            check=False,
        )
    return shutil.which("wrk")


def fetch(url: str, *, gzip_ok: bool = False, timeout: float = 30) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip" if gzip_ok else "identity"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


class Server:
    """A gunicorn process group with deploy/gunicorn.conf.py; stopped by ``stop()``."""

    def __init__(self, app: str, env: dict[str, str], log_path: Path, extra: list[str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_file = log_path.open("w")
        args = [
            GUNICORN,
            app,
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{self.port}",
            *(extra or []),
        ]
        self.process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, path: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"The server exited early; see {self.log_file.name}.")
            try:
                status, _body, _headers = fetch(self.url + path, timeout=5)
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"The server did not answer within {timeout:.0f} s; see {self.log_file.name}.")

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log_file.close()


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if not match:
        return float("nan")
    number, unit = float(match.group(1)), match.group(2)
    return number * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def load(url: str, *, wrk: str | None, clients: int, seconds: int) -> dict[str, float]:
    """One measured run from a separate process: requests/s, median and p99 latency, errors."""
    if wrk:
        threads = str(min(2, clients))
        output = subprocess.run(
            [wrk, "-t", threads, "-c", str(clients), "-d", f"{seconds}s", "--latency", "--timeout", "10s", url],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
        p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
        p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
        requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
        bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
        socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
        errors = int(bad.group(1)) if bad else 0
        if socket_errors:
            errors += sum(int(g) for g in socket_errors.groups())
        return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "requests": requests, "errors": errors}
    output = subprocess.run(
        [PYTHON, str(WEB / "loadgen.py"), url, "--clients", str(clients), "--duration", str(seconds)],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    return json.loads(output)


def page_weight(base: str, path: str) -> tuple[int, int]:
    """Bytes of the HTML and its stylesheets on a first load: uncompressed, and as transferred (gzip)."""
    _status, html, _headers = fetch(base + path)
    _status, html_gz, _headers = fetch(base + path, gzip_ok=True)
    raw, transferred = len(html), len(html_gz)
    for href in re.findall(rb'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html):
        css_url = href.decode()
        css_url = css_url if css_url.startswith("http") else base + css_url
        _status, css, _headers = fetch(css_url)
        _status, css_gz, _headers = fetch(css_url, gzip_ok=True)
        raw += len(css)
        transferred += len(css_gz)
    return raw, transferred


# --- the benchmark ------------------------------------------------------------------------------


def build_database(env: dict[str, str], args: argparse.Namespace) -> dict[str, float]:
    manage = [PYTHON, str(ROOT / "manage.py")]
    timings = {"migrate": run_step("migrate", [*manage, "migrate", "--noinput", "--verbosity", "0"], env)}
    timings["reference data"] = run_step("load_reference_data", [*manage, "load_reference_data"], env)
    seed = [*manage, "seed_demo", "--seed", str(args.seed)]
    seed += ["--full"] if args.people is None else ["--people", str(args.people)]
    timings["seed_demo"] = run_step("seed_demo " + " ".join(seed[3:]), seed, env)
    timings["collectstatic"] = run_step(
        "collectstatic", [*manage, "collectstatic", "--noinput", "--verbosity", "0"], env
    )
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, help="Seed this many people instead of the full size (quick runs).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=10, help="Measured seconds per page in all (default 10).")
    parser.add_argument(
        "--rounds", type=int, default=5, help="Interleaved rounds the seconds are split into (default 5)."
    )
    parser.add_argument("--warmup", type=int, default=2, help="Warm-up seconds per page (default 2).")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--keep", action="store_true", help="Keep the temporary directory (database, logs).")
    parser.add_argument("--no-append", action="store_true", help="Do not append to benchmarks/RESULTS.md.")
    args = parser.parse_args()

    wrk = ensure_wrk()
    tmp = Path(tempfile.mkdtemp(prefix="oncoreach-bench-"))
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "PUBLIC_PAGE_CACHE_SECONDS", "DEBUG"}}
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="oncoreach.settings",
        ONCOREACH_VAR_DIR=str(tmp),
        DATABASE_URL=f"sqlite:///{tmp / 'oncoreach.sqlite3'}",
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        WEB_ACCESS_LOG="",
    )
    servers: list[Server] = []
    started_at = dt.datetime.now(dt.UTC)
    try:
        log(f"Web benchmark in {tmp} (load generator: {'wrk' if wrk else 'benchmarks/web/loadgen.py'})")
        timings = build_database(env, args)

        log("- query counts (test client, page cache off) …")
        measured = json.loads(
            subprocess.run(
                [PYTHON, str(WEB / "measure.py")],
                cwd=ROOT,
                env={**env, "PUBLIC_PAGE_CACHE_SECONDS": "0"},
                capture_output=True,
                text=True,
                timeout=300,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        pages = measured["pages"]
        for name, page in pages.items():
            if page["status"] != 200:
                log(f"  warning: {name} {page['url']} answered {page['status']} in the test client")

        log("- starting gunicorn (production settings) …")
        product = Server("oncoreach.wsgi:application", env, tmp / "gunicorn.log")
        servers.append(product)
        product.wait_ready("/healthz")
        ceiling_env = {**env, "CEILING_BYTES": str(pages["index"]["bytes"])}
        ceiling = Server("ceiling:application", ceiling_env, tmp / "ceiling.log", ["--pythonpath", str(WEB)])
        servers.append(ceiling)
        ceiling.wait_ready("/")

        weights = {
            name: page_weight(product.url, page["url"])
            for name, page in pages.items()
            if name not in ("feed", "api_stories")
        }
        targets = [
            *((name, product.url + pages[name]["url"]) for name in ("index", "story", "feed", *CACHED_PAGES)),
            ("ceiling", ceiling.url + "/"),
        ]
        statuses: dict[str, tuple[int, int]] = {}
        for name, url in targets:
            status, body, _headers = fetch(url)  # the first request renders and fills the page cache
            statuses[name] = (status, len(body))
            log(f"- {name}: {url} ({status}, {len(body):,} bytes) — warm-up {args.warmup} s")
            load(url, wrk=wrk, clients=args.clients, seconds=args.warmup)
        # Interleaved rounds: on a shared machine the load from other processes changes by the minute,
        # so each page is compared with the ceiling measured right after it, round by round.
        per_round = max(1, round(args.seconds / args.rounds))
        rounds: dict[str, list[dict[str, float]]] = {name: [] for name, _url in targets}
        for number in range(1, args.rounds + 1):
            log(f"- round {number}/{args.rounds}: {per_round} s per page")
            for name, url in targets:
                rounds[name].append(load(url, wrk=wrk, clients=args.clients, seconds=per_round))
        results = summarise(rounds, statuses)
    finally:
        for server in servers:
            server.stop()
        if args.keep:
            log(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    report = render_report(
        args=args,
        started_at=started_at,
        timings=timings,
        pages=pages,
        weights=weights,
        results=results,
        used_wrk=wrk is not None,
        dashboard=measured["dashboard"],
    )
    print()
    print(report)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as results_file:
            results_file.write("\n" + report + "\n")
        log(f"Appended to {RESULTS.relative_to(ROOT)}")


def summarise(
    rounds: dict[str, list[dict[str, float]]], statuses: dict[str, tuple[int, int]]
) -> dict[str, dict[str, float]]:
    """Median over rounds of each figure; the ratio is the median of per-round ratios to the ceiling."""
    ceiling = rounds["ceiling"]
    results: dict[str, dict[str, float]] = {}
    for name, runs in rounds.items():
        ratios = [run["rps"] / (base["rps"] or 1.0) for run, base in zip(runs, ceiling, strict=True)]
        results[name] = {
            "rps": statistics.median(run["rps"] for run in runs),
            "p50_ms": statistics.median(run["p50_ms"] for run in runs),
            "p99_ms": statistics.median(run["p99_ms"] for run in runs),
            "errors": sum(run["errors"] for run in runs),
            "ratio": statistics.median(ratios),
            "status": statuses[name][0],
            "bytes": statuses[name][1],
        }
    return results


def render_report(
    *,
    args: argparse.Namespace,
    started_at: dt.datetime,
    timings: dict[str, float],
    pages: dict[str, dict[str, object]],
    weights: dict[str, tuple[int, int]],
    results: dict[str, dict[str, float]],
    used_wrk: bool,
    dashboard: dict[str, object],
) -> str:
    size = (
        "full size (45,000 people, 2,000 organizations, 1,500 stories)"
        if args.people is None
        else f"{args.people:,} people"
    )
    lines = [
        f"## Web benchmark — {started_at:%Y-%m-%d %H:%M} UTC",
        "",
        f"Data: {size}, seed {args.seed}; SQLite; gunicorn with deploy/gunicorn.conf.py, DEBUG off, page cache on. "
        f"Load: {'wrk' if used_wrk else 'benchmarks/web/loadgen.py'}, {args.clients} clients, "
        f"{args.warmup} s warm-up, then {args.rounds} interleaved rounds of {max(1, round(args.seconds / args.rounds))} s per page "
        "(medians over rounds; ratio = median of per-round ratios to the ceiling), from a second process on loopback. "
        f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end.",
        "",
        "Build: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()) + ".",
        "",
        "| page | status | requests/s | median ms | p99 ms | ratio to ceiling | errors | HTML+CSS bytes (gzip) | queries (cache off) | goal |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name in ("index", "story", "feed", *CACHED_PAGES, "ceiling"):
        result = results[name]
        ratio = result["ratio"]
        page = pages.get(name, {})
        weight = weights.get(name)
        weight_text = f"{weight[0]:,} ({weight[1]:,})" if weight else "—"
        queries = str(page.get("queries", "—"))
        if name in ("index", "story", *CACHED_PAGES):
            wanted = GOAL_RATIO_CACHED if name in CACHED_PAGES else GOAL_RATIO
            ok = ratio >= wanted and result["p99_ms"] < GOAL_P99_MS and result["errors"] == 0
            goal = ("PASS" if ok else "MISS") + f" (≥ {wanted} × ceiling, p99 < {GOAL_P99_MS:.0f} ms)"
        else:
            goal = "—"
        lines.append(
            f"| {name} | {int(result['status'])} | {result['rps']:,.0f} | {result['p50_ms']:.1f} | {result['p99_ms']:.1f} | "
            f"{ratio:.2f} | {int(result['errors'])} | {weight_text} | {queries} | {goal} |"
        )
    dashboard_ok = float(dashboard["median_ms"]) < GOAL_DASHBOARD_MS  # type: ignore[arg-type]
    lines += [
        "",
        f"Staff impact dashboard, all years, uncached (test client, shared cache cleared before each run): "
        f"status {dashboard['status']}, {dashboard['queries']} queries, median {dashboard['median_ms']} ms, "
        f"max {dashboard['max_ms']} ms over 5 runs, {int(dashboard['bytes']):,} bytes — "  # type: ignore[call-overload]
        f"{'PASS' if dashboard_ok else 'MISS'} (< {GOAL_DASHBOARD_MS:.0f} ms).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
