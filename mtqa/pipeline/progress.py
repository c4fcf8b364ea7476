"""The batch progress bar (rich, on stderr): one bar per stage, fed by the pipeline's callback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def noop_progress(stage: str, done: int, total: int) -> None:
    return None


STAGES = {"align": "align + embed", "score": "score", "check": "check"}


@contextmanager
def progress_bar(documents: int, console=None) -> Iterator[Progress]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as RichProgress

    console = console or Console(stderr=True)
    bars = RichProgress(TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=console, transient=False)
    tasks = {stage: bars.add_task(label, total=documents if stage != "score" else 1)
             for stage, label in STAGES.items()}

    def tick(stage: str, done: int, total: int) -> None:
        task = tasks.get(stage)
        if task is not None:
            bars.update(task, completed=done, total=total)

    with bars:
        yield tick
