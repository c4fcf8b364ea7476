"""``mtqa compare``: rank several MT systems on one test set, with paired significance tests.

``inputs`` reads the line-aligned files, ``run`` scores and tests them; the result is a JSON-ready
dict, which ``mtqa.report.formats.compare`` prints as a table.
"""

from mtqa.compare.inputs import Inputs, load_inputs, system_names
from mtqa.compare.run import DEFAULT_METRICS, run_compare

__all__ = ["DEFAULT_METRICS", "Inputs", "load_inputs", "run_compare", "system_names"]
