"""A process killed between commit and delivery loses nothing: after a restart everything arrives, once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from delivery_support import SECRET, Receiver, answers_for, clock, delivery_config, make_app, store  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
CHILD = textwrap.dedent("""
    import json, sys
    from assist import create_app
    from assist.delivery import Worker
    from assist.engine import make_reference

    app = create_app()
    store, forms = app.extensions["assist.store"], app.extensions["assist.forms"]
    form = forms["missed-bin"]
    answers = json.load(open(sys.argv[1]))
    references = []
    for _ in range(int(sys.argv[2])):
        journey = store.start_journey(form.id, form.version, "en", mode="assisted")
        references.append(store.submit(journey, lambda: make_reference("MB"), answers))
    print(json.dumps(references), flush=True)   # committed: the parent may kill us from now on
    Worker(store, forms, app.extensions["assist.config"]).run_forever()
""")


def test_killed_between_commit_and_delivery_then_restarted_delivers_everything_once(delivery_config, store, tmp_path):
    receiver = Receiver().start()
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(answers_for(make_app(delivery_config, store))))
    data = tmp_path / "crash-data"
    config = tmp_path / "config.toml"
    config.write_text(textwrap.dedent(f"""
        [council]
        name = "Crash Test Council"
        contact_email = "forms@crash.example.gov.uk"
        [languages]
        available = ["en"]
        [storage]
        data_dir = "{data}"
        [forms]
        directory = "{ROOT / 'forms'}"
        [delivery]
        destinations = ["webhook"]
        webhook_url = "{receiver.url}"
        timeout_seconds = 20
    """))
    env = {**os.environ, "ASSIST_CONFIG": str(config), "ASSIST_WEBHOOK_SECRET": SECRET,
           "ASSIST_SECRET_KEY": "k" * 32, "PYTHONPATH": str(ROOT)}
    env.pop("ASSIST_DATA_DIR", None)
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    receiver.hang.set()  # the first delivery is stored by the receiver, and then the sender dies
    child = subprocess.Popen([sys.executable, str(script), str(answers), "8"], env=env, cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        references = json.loads(child.stdout.readline())
        assert len(references) == 8, child.stderr.read()
        assert receiver.wait_for(1, timeout=60), "the child never started delivering"
        child.send_signal(signal.SIGKILL)
        assert child.wait(30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
        child.stderr.close()
    receiver.hang.clear()
    receiver.released.set()
    first = next(iter(receiver.stored))

    from assist.storage import Store

    after = Store(data / "assist.sqlite3")
    rows = after.list_deliveries()
    assert sorted(r["submission_reference"] for r in rows) == sorted(references)
    assert all(r["status"] == "pending" for r in rows), "nothing was recorded as delivered before the kill"
    claimed = [r for r in rows if r["claimed_by"]]
    assert len(claimed) >= 1 and str(child.pid) in claimed[0]["claimed_by"]

    # Restart: `assist deliver --once` (as cron would) takes over the dead process's claim at once.
    done = subprocess.run([str(Path(sys.executable).parent / "assist"), "deliver", "--once"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    try:
        assert done.returncode == 0, done.stderr
        assert "Delivered 8" in done.stdout
        assert after.delivery_counts() == {"pending": 0, "delivered": 8, "failed": 0}
        assert set(receiver.stored) == {f"{r}-webhook" for r in references}
        assert all(count == 1 for count in receiver.processed.values())
        assert receiver.seen[first] == 2  # sent again after the crash, processed once
    finally:
        after.close()
        receiver.stop()
