"""Small helpers for starting and stopping the stack's processes."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


class StackError(RuntimeError):
    """A one-line, actionable problem (printed without a traceback)."""


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def require_free_port(port: int, what: str, env_var: str) -> None:
    if port_in_use(port):
        raise StackError(
            f"port {port} ({what}) is already in use by another program: "
            f"stop it, or choose another port with {env_var}=<port>"
        )


def wait_for_port(port: int, what: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_in_use(port):
            return
        if proc is not None and proc.poll() is not None:
            raise StackError(f"{what} exited with code {proc.returncode} before listening on port {port}")
        time.sleep(0.2)
    raise StackError(f"{what} did not listen on port {port} within {timeout:.0f}s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def service_user() -> str | None:
    """PostgreSQL refuses to run as root: use a system account then."""
    if os.geteuid() != 0:
        return None
    name = "layananpublik"
    try:
        pwd.getpwnam(name)
    except KeyError:
        if not shutil.which("useradd"):
            raise StackError(
                "running as root needs `useradd` to create the PostgreSQL service account"
            ) from None
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True
        )
    return name


def ensure_traversable(path: Path, user: str | None) -> None:
    """Let the service account reach `path`: add search (x, not read) permission for others
    on every ancestor that lacks it, e.g. a checkout under /root (mode 700)."""
    if user is None:
        return
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)


def chown_tree(path: Path, user: str | None) -> None:
    if user is None:
        return
    entry = pwd.getpwnam(user)
    for p in [path, *path.rglob("*")]:
        os.lchown(p, entry.pw_uid, entry.pw_gid)


def start(cmd: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    """Start a child in its own process group, so Ctrl-C reaches it only through us."""
    log.parent.mkdir(parents=True, exist_ok=True)
    out = open(log, "ab")
    return subprocess.Popen(
        cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True, cwd=ROOT
    )


def stop(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass
