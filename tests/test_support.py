"""The test suite's own footing: it runs on a Python without Tk, and never hangs on Xvfb."""

import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import start_xvfb

PROJECT_DIR = Path(__file__).resolve().parent.parent


def without_tkinter(tmp_path):
    """Return an environment in which ``import tkinter`` fails, as on a Python built without Tk."""
    (tmp_path / "sitecustomize.py").write_text("import sys\nsys.modules['tkinter'] = None\n")
    env = {k: v for k, v in os.environ.items() if k != "DIGITS_REQUIRE_DISPLAY"}
    env["PYTHONPATH"] = str(tmp_path)
    return env


def test_suite_passes_without_tkinter_with_the_window_tests_skipped(tmp_path):
    env = without_tkinter(tmp_path)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
                             "tests/test_gui.py", "tests/test_recognise.py::test_help",
                             "tests/test_recognise.py::test_missing_weights"],
                            cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed, 1 skipped" in result.stdout and "without Tk" in result.stdout
    window = subprocess.run([sys.executable, "gui.py"], cwd=PROJECT_DIR, env=env,
                            capture_output=True, text=True, timeout=60)
    assert window.returncode == 1 and window.stderr.count("\n") == 1 and "tkinter" in window.stderr


def test_a_hanging_x_server_does_not_block_the_tests():
    start = time.monotonic()
    # A stand-in for an Xvfb that starts but never reports its display (the extra arguments
    # start_xvfb adds become the shell's unused positional parameters).
    server, reason = start_xvfb(("sh", "-c", "sleep 60", "sh"), timeout=1)
    assert server is None and "did not start within 1 s" in reason
    assert time.monotonic() - start < 10

