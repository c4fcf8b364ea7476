"""``mtqa``'s entry point ends the process without the interpreter's clean-up (issue 16's
start-up), and loses nothing: exit handlers run, buffered output is written, the exit code is kept."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from mtqa.cli import exit_now

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env_code = f"import sys; sys.path.insert(0, {str(ROOT)!r})\n" + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", env_code, *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd)


def test_exit_handlers_run_and_buffered_output_is_written():
    p = _python("""
        import atexit
        from mtqa.cli import exit_now
        atexit.register(lambda: print("handler ran"))
        print("unflushed", end="")
        exit_now(5)
        print("never")
    """)
    assert p.returncode == 5
    assert p.stdout == "unflushedhandler ran\n"


def test_a_running_non_daemon_thread_gets_the_ordinary_exit():
    stop = threading.Event()
    t = threading.Thread(target=stop.wait, daemon=False)
    t.start()
    try:
        with pytest.raises(SystemExit) as e:
            exit_now(3)
        assert e.value.code == 3
    finally:
        stop.set()
        t.join()


@pytest.mark.parametrize(("args", "code"), [
    (["--help"], 0),
    (["check", "-s", "s.en", "-t", "missing.fr", "-q", "--grammar", "off"], 2),
    (["check", "-s", "s.en", "-t", "m.fr", "-q", "--grammar", "off", "--max-major", "0", "--max-minor", "0",
      "-o", "r.json"], 1),
])
def test_the_console_entry_keeps_its_exit_code(tmp_path, args, code):
    (tmp_path / "s.en").write_text("The meeting was held on Monday.\n", encoding="utf-8")
    (tmp_path / "m.fr").write_text("The meeting was held on Monday.\n", encoding="utf-8")  # left in English
    p = _python("from mtqa.cli import main\nsys.argv = ['mtqa', *sys.argv[1:]]\nmain()", *args, cwd=tmp_path)
    assert p.returncode == code, p.stderr
    if code == 1:
        assert (tmp_path / "r.json").stat().st_size > 0  # the report is written whole before the exit
    if code == 2:
        assert p.stderr.startswith("mtqa: error:") and "Traceback" not in p.stderr


def test_without_the_interpreter_hook_the_ordinary_exit(monkeypatch):
    import atexit

    monkeypatch.delattr(atexit, "_run_exitfuncs")
    with pytest.raises(SystemExit) as e:
        exit_now(4)
    assert e.value.code == 4
