"""A private PostgreSQL cluster that a test may stop and start: Debian's initdb and pg_ctl, on a
free loopback port, with its data and socket in a temporary folder; and a streaming standby of
one (pg_basebackup), a read replica as PostgreSQL's own streaming replication makes it."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url

# Debian's layout; EVENTRY_PG_BIN points elsewhere (another version, another system).
PG_ROOT = Path("/usr/lib/postgresql")


def pg_bin() -> Path | None:
    """The folder of initdb and pg_ctl: $EVENTRY_PG_BIN, else Debian's newest; None if absent."""
    if os.environ.get("EVENTRY_PG_BIN"):
        folder = Path(os.environ["EVENTRY_PG_BIN"])
        return folder if (folder / "initdb").exists() else None
    found = sorted(PG_ROOT.glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateCluster:
    """One throwaway cluster: ``start``, ``stop`` (as an operator would: fast shutdown) and
    ``start`` again on the same port and data, ``url`` of a fresh database on it."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="eventry-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        # PostgreSQL refuses to run as root; the tests do run as root in CI containers.
        self.user = _postgres_user() if os.geteuid() == 0 else None
        if self.user is not None:
            os.chown(self.folder, self.user.pw_uid, self.user.pw_gid)

    def init(self) -> None:
        """Create the cluster: trust authentication on loopback, no fsync (it is thrown away)."""
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")

    def init_standby(self, primary: PrivateCluster) -> None:
        """Create the cluster as a hot standby of a running ``primary``: a base backup that
        streams its WAL (pg_basebackup -X stream) and, with -R, the standby.signal and
        primary_conninfo that keep it following the primary once started."""
        source = ["-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"]
        self._run(
            "pg_basebackup", *source, "-D", str(self.data), "-R", "-X", "stream", "-c", "fast"
        )

    def url_of(self, database_url: str) -> str:
        """The URL of the same database (a standby has every database its primary has) here."""
        return str(make_url(database_url).set(port=self.port))

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "start", "-w", "-D", str(self.data), "-l", str(self.log), "-o", options)

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: ``fast`` ends every session at once, as an operator's restart does."""
        self._run("pg_ctl", "stop", "-w", "-D", str(self.data), "-m", mode)

    def freeze(self) -> None:
        """SIGSTOP the server and every one of its processes, as a hung host or a stalled disk
        would leave it: the kernel still accepts connections and acknowledges every packet, but
        nothing answers. ``thaw`` resumes them where they were."""
        self._signal_all(signal.SIGSTOP)

    def thaw(self) -> None:
        """SIGCONT every process ``freeze`` stopped."""
        self._signal_all(signal.SIGCONT)

    def _signal_all(self, number: signal.Signals) -> None:
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        # The postmaster first, so that it starts no new backend while its children stop.
        for pid in [postmaster, *_children(postmaster)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, number)

    def create_database(self) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        name = f"eventry_faults_{uuid.uuid4().hex[:10]}"
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        """Stop the server if it runs (resuming it first if it is frozen) and delete its folder."""
        with contextlib.suppress(OSError, ValueError, IndexError):  # not running: nothing to do
            self.thaw()
        subprocess.run(
            self._command("pg_ctl", "stop", "-w", "-D", str(self.data), "-m", "immediate"),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        # A session of its own: a Ctrl-C in the terminal (chaos's stop button) must not reach
        # the postmaster, which would shut down on SIGINT before chaos could restore it.
        done = subprocess.run(
            self._command(program, *args), capture_output=True, text=True, start_new_session=True
        )
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{program} {' '.join(args)} failed ({done.returncode}):\n"
                f"{done.stdout}{done.stderr}\n{log}"
            )

    def _command(self, program: str, *args: str) -> list[str]:
        command = [str(self.bin / program), *args]
        if self.user is None:
            return command
        return ["runuser", "-u", self.user.pw_name, "--", *command]


def _children(parent: int) -> list[int]:
    """The ids of the processes whose parent is ``parent`` (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # The name in parentheses may hold spaces; the parent's id follows its state.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:
                found.append(int(stat.parent.name))
    return found


def _postgres_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError(
            "running as root, the private PostgreSQL needs a 'postgres' user to run as "
            "(Debian's postgresql package creates it)"
        ) from None
