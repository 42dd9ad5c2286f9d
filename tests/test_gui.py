"""The drawing window, driven with real mouse events on a real Tk window in Xvfb."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageGrab

if os.environ.get("DIGITS_REQUIRE_DISPLAY") != "1":  # in CI a Python without Tk is a failure
    pytest.importorskip("tkinter", reason="this Python was built without Tk (tkinter)")

import gui  # noqa: E402
import inside  # noqa: E402
import personal  # noqa: E402
import report  # noqa: E402
import scans  # noqa: E402
import thetas  # noqa: E402
from thetas import PRETRAINED_DIR  # noqa: E402

PROJECT_DIR = Path(__file__).resolve().parent.parent


def line(start, end, steps=15):
    """Points from start to end, inclusive, like mouse motion events along a straight stroke."""
    return [(round(start[0] + (end[0] - start[0]) * t), round(start[1] + (end[1] - start[1]) * t))
            for t in np.linspace(0, 1, steps)]


# Strokes as a person draws them on the 280x280 canvas.
ONE = [line((150, 40), (135, 245))]
SEVEN = [line((75, 55), (205, 55)) + line((205, 55), (115, 240))[1:]]
ZERO = [[(round(140 + 62 * np.sin(t)), round(140 - 95 * np.cos(t))) for t in np.linspace(0, 2 * np.pi, 48)]]
# A small 4 in two strokes in the top-left corner: size and place must not matter.
FOUR = [line((40, 30), (28, 80)) + line((28, 80), (75, 80))[1:], line((62, 35), (62, 115))]


@pytest.fixture
def app(x_display, tmp_path):
    """A fresh window with the shipped weights; destroyed after the test."""
    import tkinter as tk
    root = tk.Tk()
    window = gui.DigitApp(root, weights_dir=PRETRAINED_DIR, verbose=True, personal_dir=tmp_path / "personal")
    root.update()
    yield window
    root.destroy()


def drag(app, stroke):
    """Send press, motion and release events along ``stroke`` to the canvas, as Tk delivers them."""
    canvas = app.canvas
    canvas.event_generate("<ButtonPress-1>", x=stroke[0][0], y=stroke[0][1])
    for x, y in stroke[1:]:
        canvas.event_generate("<B1-Motion>", x=x, y=y)
    canvas.event_generate("<ButtonRelease-1>", x=stroke[-1][0], y=stroke[-1][1])
    app.root.update()


def press(app, key):
    """Type ``key`` (a Tk event name such as "<Escape>") into the window."""
    app.canvas.focus_force()
    app.root.update()
    app.canvas.event_generate(key)
    app.root.update()


def shown(app):
    """Return the big result text the window shows."""
    return app.result.cget("text")


@pytest.mark.parametrize("strokes, digit", [(ONE, 1), (SEVEN, 7), (ZERO, 0), (FOUR, 4)])
def test_drawn_digits_are_recognised(app, strokes, digit, capsys):
    for stroke in strokes:
        drag(app, stroke)
    assert shown(app) == f"Digit = {digit}"
    assert "confidence" in app.detail.cget("text")
    # --verbose: one line per prediction (one per stroke end), the last one the final answer.
    assert capsys.readouterr().out.splitlines()[-1].startswith(f"digit {digit} confidence ")


def test_window_title_and_layout(app):
    assert app.root.title() == "Handwritten digit recognition"
    # Wide enough for a number of four or five digits, as tall as a digit drawn big.
    assert app.canvas.winfo_width() == 2 * app.canvas.winfo_height() == 560
    assert app.canvas.cget("bg") == "black"


def test_empty_canvas_says_draw_a_digit(app):
    app.predict_button.invoke()
    assert shown(app) == "Draw a digit"
    assert app.last_result is None


def test_undo_and_clear(app):
    drag(app, SEVEN[0])
    seven_image = np.asarray(app.drawing.image).copy()
    drag(app, line((40, 150), (240, 150)))  # a stray stroke across
    assert not np.array_equal(np.asarray(app.drawing.image), seven_image)
    press(app, "<Control-z>")
    np.testing.assert_array_equal(np.asarray(app.drawing.image), seven_image)
    assert len(app.canvas.find_all()) > 0 and shown(app) == "Digit = 7"
    press(app, "<Escape>")
    assert shown(app) == "Draw a digit"
    assert app.canvas.find_all() == () and np.asarray(app.drawing.image).max() == 0


def test_enter_predicts(app):
    for stroke in ZERO:
        drag(app, stroke)
    app.result.config(text="")
    press(app, "<Return>")
    assert shown(app) == "Digit = 0"


def test_in_memory_image_matches_screen(app, x_display):
    for stroke in SEVEN + ZERO:  # overlapping strokes, so joins and caps count too
        drag(app, stroke)
    app.root.update()
    time.sleep(0.2)
    app.root.update()
    x, y = app.canvas.winfo_rootx(), app.canvas.winfo_rooty()
    screen = ImageGrab.grab(bbox=(x, y, x + gui.CANVAS_WIDTH, y + gui.CANVAS_HEIGHT), xdisplay=x_display)
    on_screen = np.asarray(screen.convert("L")) > 127
    in_memory = np.asarray(app.drawing.image) > 127
    assert on_screen.sum() > 5000
    agreement = (on_screen & in_memory).sum() / (on_screen | in_memory).sum()
    assert agreement > 0.95


@pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool is not installed")
def test_real_pointer_events(app, x_display):
    """Move the X pointer itself (xdotool), so the events come from the X server as a user's do."""
    app.root.lift()
    app.root.update()
    x0, y0 = app.canvas.winfo_rootx(), app.canvas.winfo_rooty()
    commands = ["mousemove", str(x0 + ONE[0][0][0]), str(y0 + ONE[0][0][1]), "mousedown", "1"]
    for x, y in ONE[0][1:]:
        commands += ["sleep", "0.02", "mousemove", str(x0 + x), str(y0 + y)]
    commands += ["sleep", "0.02", "mouseup", "1"]
    pointer = subprocess.Popen(["xdotool", *commands], env={"DISPLAY": x_display})
    deadline = time.monotonic() + 10
    while (pointer.poll() is None or shown(app) != "Digit = 1") and time.monotonic() < deadline:
        app.root.update()  # handle events as they come, as mainloop would
        time.sleep(0.005)
    assert pointer.wait() == 0
    assert shown(app) == "Digit = 1"
    assert len(app.drawing.strokes) == 1 and len(app.drawing.strokes[0]) >= 10


def test_missing_weights_still_opens(x_display, tmp_path):
    import tkinter as tk
    root = tk.Tk()
    try:
        window = gui.DigitApp(root, weights_dir=tmp_path)
        root.update()
        assert window.predict_button.cget("state") == "disabled"
        assert "python main.py" in window.detail.cget("text")
        drag(window, ONE[0])
        assert shown(window) == "No weights" and "Theta1.txt" in window.detail.cget("text")
    finally:
        root.destroy()


def test_save_writes_drawing_and_28x28(app, tmp_path):
    for stroke in ZERO:
        drag(app, stroke)
    path, small = app.save(tmp_path / "zero")
    assert Image.open(path).size == (560, 280) and Image.open(small).size == (28, 28)
    np.testing.assert_array_equal(np.asarray(Image.open(path)), np.asarray(app.drawing.image))


def test_open_image_reads_digits(app, tmp_path):
    # The window's own drawing of a 7, saved and opened again, goes through the scan path.
    for stroke in SEVEN:
        drag(app, stroke)
    path, _ = app.save(tmp_path / "seven.png")
    drag(app, ONE[0])  # something else on the canvas: opening a file replaces it
    app.open_image(path)
    assert shown(app) == "Digit = 7" and app.drawing.strokes == []
    assert [app.canvas.type(item) for item in app.canvas.find_all()] == ["image"]  # the file, annotated
    (tmp_path / "bad.png").write_bytes(b"not a png")
    app.open_image(tmp_path / "bad.png")
    assert shown(app) == "Cannot read" and "bad.png" in app.detail.cget("text")


def test_help():
    result = subprocess.run([sys.executable, str(PROJECT_DIR / "gui.py"), "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "--weights" in result.stdout and "--verbose" in result.stdout


def window_size(app):
    """Return the window's (width, height) on screen once Tk has laid it out."""
    app.root.update()
    return app.root.winfo_width(), app.root.winfo_height()


def test_window_keeps_one_size_that_fits_a_small_screen(app, tmp_path):
    sizes = {"start": window_size(app)}
    for stroke in FOUR:
        drag(app, stroke)
    sizes["drawn"] = window_size(app)
    press(app, "<Control-z>")
    sizes["undo"] = window_size(app)
    press(app, "<Escape>")
    sizes["clear"] = window_size(app)
    path, text = scans.make_scans(1, 3, seed=2, folder=tmp_path)[0]
    app.open_image(path)
    sizes["opened"] = window_size(app)
    app.open_image(tmp_path / "missing.png")  # a long error message
    sizes["error"] = window_size(app)
    assert len(set(sizes.values())) == 1, sizes
    width, height = sizes["start"]
    assert 400 <= width <= 1000 and 300 <= height <= 600  # fits a 1024x768 screen


def test_status_line_names_the_model(app):
    info = app.network.info
    status = app.status.cget("text")
    assert status.startswith("Model: ") and "pretrained" in status
    assert f"{100 * info['test_accuracy']:.2f} %" in status and f"trained {info['trained'][:10]}" in status


def test_failed_open_keeps_the_drawing(app, tmp_path):
    drag(app, ONE[0])
    before = np.asarray(app.drawing.image).copy()
    (tmp_path / "bad.png").write_bytes(b"not a png")
    app.open_image(tmp_path / "bad.png")
    assert shown(app) == "Cannot read"
    assert len(app.drawing.strokes) == 1 and app.canvas.find_all() != ()
    np.testing.assert_array_equal(np.asarray(app.drawing.image), before)
    app.predict()
    assert shown(app) == "Digit = 1"


def test_open_shows_boxes_and_clicks_select_digits(app, tmp_path, x_display):
    path, text = scans.make_scans(1, 3, seed=8, folder=tmp_path)[0]
    app.open_image(path)
    assert shown(app) == f"Digits = {text}" and app.opened is not None
    assert app.detail.cget("text").startswith("part 1 of 3")
    views = []
    for k in (2, 1):  # click the third digit, then the second: bars and view follow the click
        x0, y0, x1, y1 = app.opened.boxes[k]
        app.canvas.event_generate("<ButtonPress-1>", x=int((x0 + x1) / 2), y=int((y0 + y1) / 2))
        app.root.update()
        assert app.detail.cget("text").startswith(f"part {k + 1} of 3: {text[k]}")
        assert app.last_result[0] == int(text[k]) and app.drawing.strokes == []  # a click draws nothing
        views.append(ImageGrab.grab(xdisplay=x_display, bbox=widget_box(app.view)))
    assert views[0].tobytes() != views[1].tobytes()
    press(app, "<Right>")
    assert app.detail.cget("text").startswith(f"part 3 of 3: {text[2]}")
    press(app, "<Escape>")  # Clear: back to drawing
    assert app.opened is None and shown(app) == "Draw a digit"
    drag(app, SEVEN[0])
    assert shown(app) == "Digit = 7"


def widget_box(widget):
    """Return a widget's (left, top, right, bottom) on the screen."""
    widget.update()
    x, y = widget.winfo_rootx(), widget.winfo_rooty()
    return x, y, x + widget.winfo_width(), y + widget.winfo_height()


def test_small_digits_are_shown_zoomed_around_the_selection(app, tmp_path):
    (path, text), = scans.make_lines(1, seed=49, folder=tmp_path)  # a line too long to fit at MIN_SHOWN
    app.open_image(path)
    opened = app.opened
    heights = opened.boxes[:, 3] - opened.boxes[:, 1]
    assert np.median(heights) >= gui.MIN_SHOWN  # zoomed in, not the whole line squeezed
    centres = (opened.boxes[:, :2] + opened.boxes[:, 2:]) / 2
    shown = np.all((centres >= 0) & (centres < [gui.CANVAS_WIDTH, gui.CANVAS_HEIGHT]), axis=1)
    assert shown[0] and not shown.all()  # the first digit and its neighbours, not every digit
    x, y = centres[1]
    app.canvas.event_generate("<ButtonPress-1>", x=int(x), y=int(y))
    app.root.update()
    assert opened.selected == 1 and app.detail.cget("text").startswith(f"part 2 of {len(opened.digits)}")
    for _ in range(len(opened.digits) - 2):
        press(app, "<Right>")
    last = (opened.boxes[-1, :2] + opened.boxes[-1, 2:]) / 2
    assert opened.selected == len(opened.digits) - 1
    assert np.all((last >= 0) & (last < [gui.CANVAS_WIDTH, gui.CANVAS_HEIGHT]))


def fits(label):
    """Return whether a Label's text fits the lines it is given (Tk cuts what does not)."""
    import tkinter as tk
    probe = tk.Label(label.master, text=label.cget("text"), font=label.cget("font"),
                     wraplength=label.cget("wraplength"), justify="left")
    needed = probe.winfo_reqheight()
    probe.destroy()
    return needed <= label.winfo_reqheight()


def test_messages_fit_and_the_detail_line_says_what_the_result_cuts(x_display, tmp_path):
    import tkinter as tk
    root = tk.Tk()
    try:
        empty = tmp_path / "a folder with a long name for the weights the user meant to train"
        empty.mkdir()
        window = gui.DigitApp(root, weights_dir=empty)
        root.update()
        messages = [window.detail.cget("text")]
        drag(window, ONE[0])
        messages.append(window.detail.cget("text"))
        assert fits(window.detail) and "python main.py" in messages[-1] and "Theta1.txt" in messages[-1]
        window.open_image(tmp_path / "x.png")  # Open... without weights says why it did nothing
        assert "Open" in window.detail.cget("text") and fits(window.detail)
    finally:
        root.destroy()
    root = tk.Tk()
    try:
        window = gui.DigitApp(root, weights_dir=PRETRAINED_DIR)
        images, labels = scans.mnist_test_digits()
        rng = np.random.default_rng(3)
        lines = [scans.write_number(images[k:k + 15], rng)[0] for k in (0, 15)]
        page = np.full((sum(p.shape[0] for p in lines), max(p.shape[1] for p in lines)), 0.9, np.float32)
        page[:lines[0].shape[0], :lines[0].shape[1]] = lines[0]
        page[lines[0].shape[0]:, :lines[1].shape[1]] = lines[1]
        path = tmp_path / "two long lines.png"
        Image.fromarray(np.uint8(page * 255)).save(path)
        window.open_image(path)
        root.update()
        result, detail = shown(window), window.detail.cget("text")
        assert result.startswith("Digits = ") and result.endswith("…")  # cut to fit the result line
        assert window.result.winfo_reqwidth() <= window.result.master.winfo_width()
        read = " / ".join(scans.read_lines(path, window.network))
        assert detail.startswith(f"read {read};") and fits(window.detail)
        deep = tmp_path / ("a" * 60) / ("b" * 60)
        deep.mkdir(parents=True)
        (deep / "notes.png").write_text("not an image")
        window.open_image(deep / "notes.png")
        assert shown(window) == "Cannot read" and window.detail.cget("text").startswith("notes.png: ")
        assert fits(window.detail)
    finally:
        root.destroy()


def test_a_file_that_cannot_be_read_takes_the_last_files_reading_away(app, tmp_path):
    path, text = scans.make_scans(1, 3, seed=8, folder=tmp_path)[0]
    app.open_image(path)
    assert app.bars.find_all() and app.view.find_all() and app.opened is not None
    (tmp_path / "bad.png").write_bytes(b"not a png")
    app.open_image(tmp_path / "bad.png")
    assert shown(app) == "Cannot read" and app.opened is None
    assert app.bars.find_all() == () and app.view.find_all() == () and app.canvas.find_all() == ()


def test_help_lists_the_keys_and_open():
    result = subprocess.run([sys.executable, str(PROJECT_DIR / "gui.py"), "--help"],
                            capture_output=True, text=True, timeout=60)
    flat = " ".join(result.stdout.split())
    assert result.returncode == 0 and "Open..." in flat and "Ctrl+O" in flat and "Ctrl+Z" in flat
    assert "Escape clears" in flat and "Left/Right" in flat


def shifted(strokes, dx):
    """``strokes`` moved ``dx`` pixels right."""
    return [[(x + dx, y) for x, y in stroke] for stroke in strokes]


def click(app, x, y):
    """Press and release the mouse at one point of the canvas, as a click."""
    app.canvas.event_generate("<ButtonPress-1>", x=x, y=y)
    app.canvas.event_generate("<ButtonRelease-1>", x=x, y=y)
    app.root.update()


def test_a_number_drawn_is_read_and_a_click_selects_its_digit(app, capsys):
    for stroke in shifted(ONE, -60) + shifted(ZERO, 200):
        drag(app, stroke)
    assert shown(app) == "Number = 10"
    assert capsys.readouterr().out.splitlines()[-1].startswith("number 10 confidences ")
    assert len(app.canvas.find_withtag("boxes")) == 2
    assert app.detail.cget("text").startswith("part 1 of 2: 1")
    strokes = len(app.drawing.strokes)
    x0, y0, x1, y1 = app.reading.digits[1].box
    click(app, (x0 + x1) // 2, (y0 + y1) // 2)
    assert app.detail.cget("text").startswith("part 2 of 2: 0") and len(app.drawing.strokes) == strokes
    assert app.last_result[0] == 0 and shown(app) == "Number = 10"
    press(app, "<Left>")
    assert app.detail.cget("text").startswith("part 1 of 2: 1")
    press(app, "<Escape>")
    assert shown(app) == "Draw a digit" and app.canvas.find_withtag("boxes") == ()


def test_a_digit_key_keeps_the_drawing_as_a_sample(app, capsys):
    press(app, "<KeyPress-4>")
    assert app.detail.cget("text").startswith("Draw a digit first")
    for stroke in SEVEN:
        drag(app, stroke)
    press(app, "<KeyPress-1>")  # "that was a 1"
    assert app.detail.cget("text").startswith("Kept as 1 - 1 sample;")
    assert capsys.readouterr().out.splitlines()[-1] == "kept 1 (1 sample)"
    press(app, "<KeyPress-7>")
    assert app.detail.cget("text").startswith("Kept as 7 - 2 samples;")
    images, labels = personal.load_samples(app.personal_dir)
    assert labels.tolist() == [1, 7]
    np.testing.assert_allclose(images[0], app.shown_image.ravel(), atol=0.5 / 255)
    record = json.loads(personal.sample_paths(app.personal_dir)[0].read_text())
    assert record["strokes"] == [[list(p) for p in stroke] for stroke in app.drawing.strokes]


def test_learn_runs_beside_the_window_and_forget_goes_back(app, capsys, x_display):
    import tkinter as tk
    app.learn()
    assert app.learning is None and app.detail.cget("text").startswith("No samples yet")
    for stroke in SEVEN:
        drag(app, stroke)
    for key in ("<KeyPress-1>", "<KeyPress-1>", "<KeyPress-1>"):
        press(app, key)
    app.tuning = personal.Tuning(copies=5, replay=2000, pairs=100, pieces=200, maxiter=15)
    ticks = []

    def tick():
        ticks.append(time.monotonic())
        if app.learning is not None:
            app.root.after(20, tick)
    press(app, "<Control-l>")
    assert app.learning is not None and app.buttons["Learn"].cget("state") == "disabled"
    app.root.after(20, tick)
    deadline = time.monotonic() + 120
    while app.learning is not None and time.monotonic() < deadline:
        app.root.update()
        time.sleep(0.01)
    assert app.learning is None and app.buttons["Learn"].cget("state") == "normal"
    assert len(ticks) >= 3  # the window went on handling events while the worker learned
    status = app.status.cget("text")
    assert status.startswith("Model: personal (3 of your digits) on pretrained"), status
    assert "learned from 3 samples" in capsys.readouterr().out
    assert app.network.info["base_model"] == str(PRETRAINED_DIR.resolve())
    # A new window finds the personal model; Forget goes back to the base and keeps the samples.
    root = tk.Tk()
    try:
        again = gui.DigitApp(root, weights_dir=PRETRAINED_DIR, personal_dir=app.personal_dir)
        assert again.status.cget("text").startswith("Model: personal (3 of your digits)")
    finally:
        root.destroy()
    app.forget(delete_samples=False)
    assert app.status.cget("text").startswith("Model: pretrained") and app.network is app.base
    assert "3 samples kept" in app.detail.cget("text") and len(personal.sample_paths(app.personal_dir)) == 3
    app.forget(delete_samples=True)
    assert personal.sample_paths(app.personal_dir) == []


def test_inside_shows_the_hidden_units_lit_by_the_drawing(app):
    press(app, "<Control-i>")
    assert app.inside_window is not None and app.inside_shown.get()
    assert (app.inside_photo.width(), app.inside_photo.height()) == inside.picture(
        report.unit_tiles(app.network.Theta1), None).size
    assert app.inside_caption.cget("text").startswith("Each tile")
    for stroke in SEVEN:
        drag(app, stroke)
    caption = app.inside_caption.cget("text")
    assert "toward 7 (green)" in caption
    press(app, "<Control-i>")
    assert app.inside_window is None and not app.inside_shown.get()


def test_a_drawing_the_model_rejects_says_not_a_digit(app, capsys):
    app.network = app.network._replace(decision=thetas.Decision(not_digit_below=1.0))  # nothing is a digit
    for stroke in ONE:
        drag(app, stroke)
    assert shown(app) == "Not a digit"
    assert app.detail.cget("text").startswith("nearest digit 1 ")
    assert capsys.readouterr().out.splitlines()[-1].startswith("not a digit (nearest 1")
    bars = [app.bars.itemcget(item, "fill") for item in app.bars.find_all() if app.bars.type(item) == "rectangle"]
    assert "#2e7d32" not in bars  # no digit's bar is marked as the answer


def test_an_unsure_drawing_names_both_digits_and_marks_both_bars(app, capsys):
    app.network = app.network._replace(decision=thetas.Decision(unsure_below=1.0))  # every reading unsure
    for stroke in SEVEN:
        drag(app, stroke)
    digit, runner_up = app.last_result[0], int(np.argsort(app.last_result[1])[-2])
    assert digit == 7 and shown(app) == f"7 or {runner_up}?"
    assert capsys.readouterr().out.splitlines()[-1].endswith(f"unsure (or {runner_up})")
    bars = [app.bars.itemcget(item, "fill") for item in app.bars.find_all() if app.bars.type(item) == "rectangle"]
    assert bars[7] == "#2e7d32" and bars[runner_up] == "#e65100"
    assert sorted(bars).count("#90a4ae") == 8


def test_the_shipped_model_says_not_a_digit_for_a_cross(app, capsys):
    for stroke in ([line((200, 50), (320, 230))], [line((320, 50), (200, 230))]):
        drag(app, stroke[0])
    assert shown(app) == "Not a digit"
    assert "not a digit" in capsys.readouterr().out.splitlines()[-1]


def _polyline(points, x0, y0, size):
    """Mouse motion along unit-box corner ``points``, placed at (x0, y0), ``size`` pixels tall."""
    corners = [(round(x0 + 0.7 * size * x), round(y0 + size * y)) for x, y in points]
    return [p for a, b in zip(corners, corners[1:]) for p in line(a, b, 8)[1 if a != corners[0] else 0:]]


F = [[(0.9, 0), (0, 0), (0, 1)], [(0, 0.5), (0.7, 0.5)]]
Z_CROSSED = [[(0, 0), (0.9, 0), (0, 1), (0.9, 1)], [(0.15, 0.5), (0.75, 0.5)]]
FOUR_OPEN = [[(0.6, 0), (0, 0.65), (0.9, 0.65)], [(0.65, 0.2), (0.65, 1)]]
TWO = [[(0.05, 0.25), (0.3, 0), (0.7, 0), (0.85, 0.25), (0, 1), (0.9, 1)]]
HEN = [[(0, 0), (0, 1)], [(0.9, 0), (0.9, 1)], [(0, 0.5), (0.9, 0.5)],  # H
       [(2.1, 0), (1.3, 0), (1.3, 1), (2.1, 1)], [(1.3, 0.5), (1.9, 0.5)],  # E
       [(2.5, 1), (2.5, 0), (3.4, 1), (3.4, 0)]]  # N


def test_a_drawn_word_and_the_number_after_it(app):
    # "F Z 42" with a crossed Z, the words a digit's height apart: the letters go, 42 is read.
    for mark, x0 in ((F, 20), (Z_CROSSED, 195), (FOUR_OPEN, 370), (TWO, 465)):
        for stroke in mark:
            drag(app, _polyline(stroke, x0, 90, 80))
    assert shown(app) == "Number = 42"
    press(app, "<Escape>")
    for stroke in HEN:  # a word of letters no digit's shape takes
        drag(app, _polyline(stroke, 60, 70, 110))
    assert shown(app) == "Not a digit"
