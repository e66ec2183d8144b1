"""A fake SMTP relay for the local multi-node deployment: accepts every message and appends one JSON
line per accepted message (Message-ID, recipients, time) to a file, so duplicates and losses can be
counted. Standard library only (smtpd is gone from Python 3.12).

    python deploy/fakesmtp.py --port 2525 --log /tmp/received.jsonl [--delay 0.02]

Like a real relay, it records a message before it answers "250" to the final dot: a client that
dies between the two has had its message delivered without knowing it.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import socketserver
import sys
import threading
import time
from pathlib import Path

LOCK = threading.Lock()


class Handler(socketserver.StreamRequestHandler):
    server: Relay

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self) -> None:
        self.reply("220 fakesmtp ready")
        recipients: list[str] = []
        while True:
            raw = self.rfile.readline(65536)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 fakesmtp")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line.partition(":")[2].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.receive(recipients)
                recipients = []
            elif verb == "RSET":
                recipients = []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def receive(self, recipients: list[str]) -> None:
        lines = []
        while True:
            raw = self.rfile.readline(1 << 20)
            if not raw:
                return  # the client went away mid-message: nothing was delivered
            if raw in (b".\r\n", b".\n"):
                break
            lines.append(raw[1:] if raw.startswith(b"..") else raw)
        message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
        if self.server.delay:
            time.sleep(self.server.delay)
        record = {"message_id": str(message.get("Message-ID", "")), "to": recipients, "at": time.time()}
        with LOCK, self.server.log.open("a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")
        self.reply("250 OK queued")


class Relay(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, log: Path, delay: float) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.log = log
        self.delay = delay


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to 'process' each message")
    args = parser.parse_args()
    with Relay(args.port, args.log, args.delay) as relay:
        sys.stdout.write(f"fakesmtp listening on 127.0.0.1:{args.port}, recording to {args.log}\n")
        sys.stdout.flush()
        relay.serve_forever()


if __name__ == "__main__":
    main()
