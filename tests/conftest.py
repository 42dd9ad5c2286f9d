"""Shared test setup: import the project's modules, and an X display for the GUI tests."""

import os
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# CI sets this so that a missing display fails the GUI tests instead of skipping them.
REQUIRE_DISPLAY = os.environ.get("DIGITS_REQUIRE_DISPLAY") == "1"


def _no_display(reason):
    """Skip (locally) or fail (in CI) a test that needs an X display."""
    if REQUIRE_DISPLAY:
        pytest.fail(f"{reason} (DIGITS_REQUIRE_DISPLAY=1)")
    pytest.skip(reason)


def start_xvfb(command=("Xvfb",), timeout=20):
    """Start an X server that reports its display number on a pipe (``-displayfd``).

    Returns (process, display) or (None, reason).  Waits at most ``timeout`` seconds for the
    number, so a server that hangs on start cannot block the tests.
    """
    read_end, write_end = os.pipe()
    server = subprocess.Popen([*command, "-displayfd", str(write_end), "-screen", "0", "1024x768x24",
                               "-nolisten", "tcp"], pass_fds=(write_end,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        ready, _, _ = select.select([pipe], [], [], timeout)
        number = pipe.readline().strip() if ready else ""  # written once the server is ready
    if not number:
        server.kill()
        server.wait()
        return None, f"Xvfb did not start within {timeout} s" if not ready else "Xvfb did not start"
    return server, f":{number}"


@pytest.fixture(scope="session")
def x_display():
    """Return an X display name: a fresh Xvfb server of the tests' own, stopped at the end."""
    if shutil.which("Xvfb") is None:
        _no_display("Xvfb is not installed (Debian package xvfb)")
    server, display = start_xvfb()
    if server is None:
        _no_display(display)
    previous = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = display
    yield display
    server.terminate()
    server.wait(timeout=10)
    if previous is None:
        os.environ.pop("DISPLAY", None)
    else:
        os.environ["DISPLAY"] = previous


@pytest.fixture(scope="session")
def weights():
    """The shipped network (what the tools use until main.py saves one), loaded once."""
    from thetas import PRETRAINED_DIR, load_network
    return load_network(PRETRAINED_DIR)
