"""A small HTTP/1.1 keep-alive load generator (used by run.py only when `wrk` is not available).

``python loadgen.py URL --clients 32 --duration 10`` prints JSON: requests, errors, requests per
second, median and p99 latency in milliseconds. Loopback only; stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from urllib.parse import urlsplit


async def _client(
    host: str, port: int, path: str, *, deadline: float, latencies: list[float], errors: list[int]
) -> None:
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/html\r\n\r\n".encode()
    reader = writer = None
    while time.monotonic() < deadline:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")  # type: ignore[union-attr]
            status = int(head.split(b" ", 2)[1])
            length = 0
            close = chunked = False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name, value = name.strip().lower(), value.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"transfer-encoding" and value == b"chunked":
                    chunked = True
                elif name == b"connection" and value == b"close":
                    close = True
            if chunked:
                while True:
                    size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)  # type: ignore[union-attr]
                    await reader.readexactly(size + 2)  # type: ignore[union-attr]
                    if size == 0:
                        break
            else:
                await reader.readexactly(length)  # type: ignore[union-attr]
            latencies.append(time.perf_counter() - started)
            if status >= 400:
                errors.append(status)
            if close:
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            errors.append(0)
            if writer is not None:
                writer.close()
            writer = None
            await asyncio.sleep(0.01)
    if writer is not None:
        writer.close()


async def run(url: str, clients: int, duration: float) -> dict[str, float]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors: list[int] = []
    started = time.monotonic()
    deadline = started + duration
    await asyncio.gather(
        *(_client(host, port, path, deadline=deadline, latencies=latencies, errors=errors) for _ in range(clients))
    )
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": statistics.median(ordered) * 1000 if ordered else 0.0,
        "p99_ms": p99 * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10.0)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.url, args.clients, args.duration))))


if __name__ == "__main__":
    main()
