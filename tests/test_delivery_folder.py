"""Folder delivery: JSON and PDF appear whole or not at all, however fast a reader looks."""

from __future__ import annotations

import json
import threading
import time

from delivery_support import (FakePrintouts, answers_for, clock, delivery_config, make_app, store,  # noqa: F401
                              submit, with_delivery)


def test_folder_delivery_is_atomic_for_a_reader_watching_the_folder(delivery_config, store, tmp_path):
    from assist.delivery import Worker

    folder = tmp_path / "council-share"
    settings = with_delivery(delivery_config, destinations=("folder",), folder=folder)
    app = make_app(settings, store)
    form = app.extensions["assist.forms"]["missed-bin"]
    references = [submit(store, form, answers_for(app)) for _ in range(25)]
    size = 3 * 1024 * 1024  # big enough that a plain write would be seen half done
    done = threading.Event()
    problems, seen = [], set()

    deadline = time.monotonic() + 120

    def reader():
        """Read every file as soon as it shows, until one whole pass after the worker has finished
        (or the deadline): it stops whether or not every file came, so the test fails, never hangs."""
        last_pass = False
        while time.monotonic() < deadline:
            last_pass = done.is_set()
            if not folder.exists():
                if last_pass:
                    return
                continue
            for path in folder.iterdir():
                if path.name.startswith("."):
                    continue  # temporary files are hidden until renamed
                try:
                    data = path.read_bytes()
                except FileNotFoundError:
                    continue
                if path.suffix == ".json":
                    try:
                        json.loads(data)
                    except ValueError as error:
                        problems.append(f"{path.name}: partial JSON ({len(data)} bytes): {error}")
                elif path.suffix == ".pdf":
                    if not (data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")):
                        problems.append(f"{path.name}: partial PDF ({len(data)} bytes)")
                else:
                    problems.append(f"unexpected file {path.name}")
                seen.add(path.name)
            if last_pass:
                return

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    worker = Worker(store, app.extensions["assist.forms"], settings, printouts=FakePrintouts(size))
    try:
        assert worker.run_once().delivered == 25
    finally:
        done.set()
        thread.join(30)
    assert not thread.is_alive(), "the reader did not stop"
    assert problems == []
    assert seen == {f"{r}.json" for r in references} | {f"{r}.pdf" for r in references}
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{r}.json" for r in references] + [f"{r}.pdf" for r in references])
    for reference in references:
        assert json.loads((folder / f"{reference}.json").read_text())["reference"] == reference
        assert len((folder / f"{reference}.pdf").read_bytes()) > size


def test_delivering_again_replaces_the_files_with_the_same_content(delivery_config, store, tmp_path):
    from assist.delivery import Worker

    folder = tmp_path / "share"
    settings = with_delivery(delivery_config, folder=folder)
    app = make_app(settings, store)
    reference = submit(store, app.extensions["assist.forms"]["missed-bin"], answers_for(app))
    worker = Worker(store, app.extensions["assist.forms"], settings, printouts=FakePrintouts())
    worker.run_once()
    before = (folder / f"{reference}.json").read_bytes()
    worker.destinations["folder"].deliver(worker.parcel(reference, f"{reference}-folder"), 5)
    assert (folder / f"{reference}.json").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [f"{reference}.json", f"{reference}.pdf"]


def test_an_unwritable_folder_is_a_failed_attempt(delivery_config, store, tmp_path):
    from assist.delivery import Worker

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    settings = with_delivery(delivery_config, folder=blocker / "share")
    app = make_app(settings, store)
    reference = submit(store, app.extensions["assist.forms"]["missed-bin"], answers_for(app))
    assert Worker(store, app.extensions["assist.forms"], settings, printouts=FakePrintouts()).run_once().retrying == 1
    assert "folder" in store.list_deliveries(reference=reference)[0]["last_error"]
