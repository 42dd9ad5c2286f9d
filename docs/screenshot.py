"""Take the README's screenshot of the drawing window: draw a 4, capture the window as PNG.

With ``--states DIR`` it also captures the window right after it opens, after Undo and after
Clear, and prints each capture's size: the window must keep one size through a session.
Run on an X display, e.g. under Xvfb:  xvfb-run -s "-screen 0 1920x1080x24" python docs/screenshot.py
"""

import argparse
import os
import sys
import time
import tkinter as tk
from pathlib import Path

import numpy as np
from PIL import ImageGrab

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

import gui  # noqa: E402

# Two strokes of a 4, in canvas pixels, with points every few pixels as a mouse gives them.
FOUR = [[(95 - 2 * i, 50 + 11 * i) for i in range(11)] + [(75 + 12 * i, 160) for i in range(1, 11)],
        [(170 - i // 2, 60 + 18 * i) for i in range(11)]]


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
    parser.add_argument("--open", metavar="IMAGE", help="with --states: also open IMAGE (file.png) and "
                                                        "click the last digit shown (file-clicked.png)")
    args = parser.parse_args()
    root = tk.Tk()
    app = gui.DigitApp(root)
    root.geometry("+0+0")
    root.update()
    if args.states:
        Path(args.states).mkdir(parents=True, exist_ok=True)
        print("opened", capture(root, Path(args.states) / "opened.png"))
    for stroke in FOUR:
        app.canvas.event_generate("<ButtonPress-1>", x=stroke[0][0], y=stroke[0][1])
        for x, y in stroke[1:]:
            app.canvas.event_generate("<B1-Motion>", x=x, y=y)
        app.canvas.event_generate("<ButtonRelease-1>", x=stroke[-1][0], y=stroke[-1][1])
        root.update()
    size = capture(root, args.out)
    print(f"{app.result.cget('text')}, {app.detail.cget('text')}: saved {args.out} {size}")
    if args.states:
        app.undo()
        print("undo", capture(root, Path(args.states) / "undo.png"))
        app.clear()
        print("clear", capture(root, Path(args.states) / "clear.png"))
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
    root.destroy()


if __name__ == "__main__":
    main()
