"""A local SMTP sink: accepts every message and keeps it as a .eml file to read.

`python -m devstack.smtp <dir> <port>`; messages land in <dir>/<timestamp>-<n>.eml.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
import time
from pathlib import Path

from aiosmtpd.controller import Controller

_counter = itertools.count(1)


class MaildirSink:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{next(_counter):04d}.eml"
        (self.directory / name).write_bytes(envelope.original_content or envelope.content)
        print(f"mail from {envelope.mail_from} to {', '.join(envelope.rcpt_tos)} -> {name}", flush=True)
        return "250 Message accepted for delivery"


def main() -> None:
    directory, port = Path(sys.argv[1]), int(sys.argv[2])
    directory.mkdir(parents=True, exist_ok=True)
    controller = Controller(MaildirSink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        asyncio.run(asyncio.Event().wait())
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
