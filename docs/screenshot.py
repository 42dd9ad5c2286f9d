"""Take the README's screenshots of the drawing window: draw the number 471, capture the window as PNG.

With ``--states DIR`` it also captures the window right after it opens, after Undo and after
Clear, with a cross drawn (not a digit) and a 1 with a flag (unsure), and prints each
capture's size: the window must keep one size through a session.  With
``--teach DIR`` it draws a European 1 (read as 7), corrects it, keeps ten such corrections,
Learns (in a temporary personal folder, never the user's) and draws it again, then shows the
Inside view: window-corrected.png, window-learned.png and window-inside.png.
Run on an X display, e.g. under Xvfb:  xvfb-run -s "-screen 0 1920x1080x24" python docs/screenshot.py
"""

import argparse
import os
import sys
import tempfile
import time
import tkinter as tk
from pathlib import Path

import numpy as np
from PIL import ImageGrab

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

import gui  # noqa: E402

# The strokes of 4, 7 and 1, in canvas pixels, with points every few pixels as a mouse gives them.
NUMBER = [[(155 - 2 * i, 50 + 11 * i) for i in range(11)] + [(135 + 12 * i, 160) for i in range(1, 11)],
          [(230 - i // 2, 60 + 18 * i) for i in range(11)],
          [(330 + 9 * i, 60) for i in range(11)] + [(420 - 6 * i, 60 + 17 * i) for i in range(1, 11)],
          [(480 - i, 50 + 19 * i) for i in range(11)]]
# A cross, which is no digit, and a 1 whose flag makes it nearly a 7.
CROSS = [[(200 + 12 * i, 50 + 18 * i) for i in range(11)], [(320 - 12 * i, 50 + 18 * i) for i in range(11)]]
FLAGGED_ONE = [[(round(232 + 48 * t), round(69 - 29 * t)) for t in np.linspace(0, 1, 15)]
               + [(280, round(40 + 200 * t)) for t in np.linspace(0, 1, 15)[1:]]]


def capture(root, path):
    """Let the window settle, save a capture of it to ``path``; return its (width, height)."""
    root.update()
    time.sleep(0.3)
    root.update()
    x, y = root.winfo_rootx(), root.winfo_rooty()
    box = (x, y, x + root.winfo_width(), y + root.winfo_height())
    ImageGrab.grab(bbox=box, xdisplay=os.environ.get("DISPLAY")).save(path)
    return root.winfo_width(), root.winfo_height()


def main():
    """Draw, wait for the window to settle, and save the capture (and the other states if asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(PROJECT_DIR / "docs" / "window.png"), help="PNG to write")
    parser.add_argument("--states", metavar="DIR",
                        help="also save opened.png, undo.png and clear.png there, and print their sizes")
    parser.add_argument("--teach", metavar="DIR", help="save the pictures of learning there (see above)")
    parser.add_argument("--open", metavar="IMAGE", help="with --states: also open IMAGE (file.png) and "
                                                        "click the last digit shown (file-clicked.png)")
    args = parser.parse_args()
    root = tk.Tk()
    scratch = tempfile.TemporaryDirectory()
    app = gui.DigitApp(root, personal_dir=Path(scratch.name) / "personal")
    root.geometry("+0+0")
    root.update()
    if args.states:
        Path(args.states).mkdir(parents=True, exist_ok=True)
        print("opened", capture(root, Path(args.states) / "opened.png"))
    for stroke in NUMBER:
        draw(app, stroke)
    size = capture(root, args.out)
    print(f"{app.result.cget('text')}, {app.detail.cget('text')}: saved {args.out} {size}")
    if args.states:
        app.undo()
        print("undo", capture(root, Path(args.states) / "undo.png"))
        app.clear()
        print("clear", capture(root, Path(args.states) / "clear.png"))
        for name, strokes in (("not-a-digit", CROSS), ("unsure", FLAGGED_ONE)):
            for stroke in strokes:
                draw(app, stroke)
            print(name, capture(root, Path(args.states) / f"{name}.png"), app.result.cget("text"))
            app.clear()
        if args.open:
            app.open_image(args.open)
            print("file", capture(root, Path(args.states) / "file.png"), app.result.cget("text"))
            if app.opened is not None:
                centres = (app.opened.boxes[:, :2] + app.opened.boxes[:, 2:]) / 2
                on_canvas = (centres >= 0) & (centres < [gui.CANVAS_WIDTH, gui.CANVAS_HEIGHT])
                shown = np.flatnonzero(np.all(on_canvas, axis=1))
                x0, y0, x1, y1 = app.opened.boxes[shown[-1]]  # the last digit on the canvas
                app.canvas.event_generate("<ButtonPress-1>", x=int((x0 + x1) / 2), y=int((y0 + y1) / 2))
                print("clicked", capture(root, Path(args.states) / "file-clicked.png"), app.detail.cget("text"))
    if args.teach:
        teach(app, root, Path(args.teach))
    root.destroy()
    scratch.cleanup()


def draw(app, stroke):
    """Drag the mouse along ``stroke`` on the canvas."""
    app.canvas.event_generate("<ButtonPress-1>", x=stroke[0][0], y=stroke[0][1])
    for x, y in stroke[1:]:
        app.canvas.event_generate("<B1-Motion>", x=x, y=y)
    app.canvas.event_generate("<ButtonRelease-1>", x=stroke[-1][0], y=stroke[-1][1])
    app.root.update()


def european_one(rng):
    """One stroke of a 1 with a long flag and no base, a little different each time."""
    x, top, flag = 280 + rng.uniform(-20, 20), rng.uniform(30, 50), rng.uniform(100, 125)
    corners = np.array([(x - 85, flag), (x, top), (x + rng.uniform(-8, 8), rng.uniform(235, 255))])
    return [tuple(np.round(a + (b - a) * t).astype(int)) for a, b in zip(corners[:-1], corners[1:])
            for t in np.linspace(0, 1, 12)]


def teach(app, root, folder):
    """Correct a misread 1 ten times, Learn, and capture the window before and after (see the docstring)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(1)
    for n in range(10):
        app.clear()
        draw(app, european_one(rng))
        app.canvas.focus_force()
        root.update()
        app.canvas.event_generate("<KeyPress-1>")  # "that was a 1"
        root.update()
        if n == 0:
            print("corrected", capture(root, folder / "window-corrected.png"), app.detail.cget("text"))
    app.learn()
    while app.learning is not None:
        root.update()
        time.sleep(0.05)
    app.clear()
    draw(app, european_one(rng))
    print("learned", capture(root, folder / "window-learned.png"), app.result.cget("text"), app.status.cget("text"))
    app.flip_inside()
    window = app.inside_window
    window.geometry(f"+{root.winfo_width() + 10}+0")
    print("inside", capture(window, folder / "window-inside.png"), app.inside_caption.cget("text"))
    app.forget(delete_samples=True)


if __name__ == "__main__":
    main()
