"""Read many image files: folders opened up, worker processes on every core, results in input order.

``recognise.py`` hands this a list of files and folders and a function that reads one file
(:func:`recognise.read_one`, which calls :func:`scan.segment.read_page`, the library's unit of
work); each worker process loads the model once (``setup``) and reads one file at a time, so
memory holds one decoded image per worker whatever the number of files.  Results come back in
the order the files were given, the same whatever the number of workers.  What it leaves out:
retrying a file, and spreading work over machines (map the unit of work with your own tool).
"""

import contextlib
import ctypes
import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image, UnidentifiedImageError

# Workers are given this many files ahead of the one being printed, per worker: enough to keep
# every core busy while one slow file holds up the output, few enough that the results waiting
# to be printed stay small.
AHEAD = 4
M_ARENA_MAX = -8  # glibc's mallopt parameter: how many malloc arenas threads may use


def cores():
    """Return how many cores this process may use (the default number of workers)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def image_files(paths):
    """Return (files, skipped): ``paths`` with each folder replaced by the image files under it.

    A folder is walked recursively, its files in sorted order; the files in it that Pillow
    cannot identify are left out and listed in ``skipped``.  Files named on their own are kept
    as given (reading them says what is wrong, if anything).
    """
    files, skipped = [], []
    for path in paths:
        if not Path(path).is_dir():
            files.append(path)
            continue
        for found in sorted(p for p in Path(path).rglob("*") if p.is_file()):
            (files if is_image(found) else skipped).append(str(found))
    return files, skipped


def is_image(path):
    """Return whether Pillow identifies ``path`` as an image (its header only; the pixels are not read)."""
    try:
        with Image.open(path):
            return True
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return False


def read_in_order(files, work, jobs, setup=None, setup_args=()):
    """Yield ``work(file)`` for each of ``files``, in their order.

    With ``jobs`` 1 the work is done here, one file after another, after ``setup(*setup_args)``.
    Otherwise ``jobs`` worker processes each run ``setup`` once and then take files; at most
    :data:`AHEAD` files per worker are handed out beyond the one awaited.  The workers ignore
    Ctrl-C: it reaches this process, which stops them (:func:`stop`) before passing it on.
    """
    if jobs <= 1 or len(files) <= 1:
        one_malloc_arena()
        if setup is not None:
            setup(*setup_args)
        for path in files:
            yield _then_give_back(work, path)
        return
    pool = ProcessPoolExecutor(min(jobs, len(files)), initializer=_start_worker, initargs=(setup, setup_args))
    try:
        pending = {}
        for index in range(len(files)):
            for ahead in range(index, min(len(files), index + 1 + AHEAD * jobs)):
                if ahead not in pending:
                    pending[ahead] = pool.submit(_then_give_back, work, files[ahead])
            yield pending.pop(index).result()
    except BaseException:
        stop(pool)
        raise
    pool.shutdown()


def _then_give_back(work, path):
    """Return ``work(path)``, then give the memory it freed back (:func:`give_back_freed_memory`)."""
    try:
        return work(path)
    finally:
        give_back_freed_memory()


def _start_worker(setup, setup_args):
    """A worker's start: Ctrl-C is the parent's to handle; one BLAS thread; then ``setup``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _one_blas_thread()
    one_malloc_arena()
    if setup is not None:
        setup(*setup_args)


def one_malloc_arena():
    """Have glibc's malloc serve every thread from one arena, so that freed memory can be given
    back (:func:`give_back_freed_memory`).  The preprocessing's short-lived threads each took an
    arena of their own, and fragments of decoded images in many arenas made a worker's peak
    grow with the number of files it read (docs/experiments.md, "Folders").  Where the C
    library is not glibc, nothing changes."""
    if _LIBC is not None:
        _LIBC.mallopt(M_ARENA_MAX, 1)


def give_back_freed_memory():
    """Give the memory freed since the last call back to the system (glibc's ``malloc_trim``);
    called after each file.  Where the C library is not glibc, nothing happens."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc():
    """Return glibc, for ``mallopt`` and ``malloc_trim``, or None elsewhere."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt, libc.malloc_trim  # raise AttributeError where they are missing
        return libc
    except (OSError, AttributeError):
        return None


_LIBC = _glibc()


def _one_blas_thread():
    """Hold NumPy's BLAS to one thread in a worker: the workers already fill the cores, and
    their BLAS threads fighting over them made a folder 1.4x slower (docs/experiments.md, "Folders")."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(1)


def stop(pool):
    """Stop a pool at once: files not started are cancelled, the workers ended."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # gone after shutdown
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)


class Interrupt:
    """Ctrl-C, held off while a file's output is being written (:meth:`deferred`), so that lines
    and table rows are whole; used as ``with interrupt:`` around the reading."""

    def __init__(self):
        self.writing = self.pending = False
        self.previous = None

    def __enter__(self):
        self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc):
        signal.signal(signal.SIGINT, self.previous)

    def _handle(self, signum, frame):
        if self.writing:
            self.pending = True
        else:
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def deferred(self):
        """Run the block with Ctrl-C held off; one that came meanwhile is raised after it."""
        self.writing = True
        try:
            yield
        finally:
            self.writing = False
        if self.pending:
            raise KeyboardInterrupt


class Progress:
    """One line on stderr, rewritten in place while files are read: done of total, files per
    second, time left.  Silent unless the stream is a terminal."""

    def __init__(self, total, stream=None, every=0.2):
        self.total, self.stream, self.every = total, stream or sys.stderr, every
        self.shown = self.stream.isatty() and total > 1
        self.start = self.last = time.perf_counter()
        self.done = 0

    def step(self):
        """Count one more file done; redraw the line at most every ``every`` seconds."""
        self.done += 1
        now = time.perf_counter()
        if not self.shown or (now - self.last < self.every and self.done < self.total):
            return
        self.last = now
        rate = self.done / max(now - self.start, 1e-9)
        left = (self.total - self.done) / rate
        self.stream.write(f"\r{self.done}/{self.total} files  {rate:.1f} files/s  "
                          f"{int(left // 60)}:{int(left % 60):02d} left ")
        self.stream.flush()

    def clear(self):
        """Remove the line, so that what follows starts on a clean line."""
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
