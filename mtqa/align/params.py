"""The aligner's settings and its bead types (moves of the dynamic programme)."""

from __future__ import annotations

from dataclasses import dataclass, field

MATCH_MOVES = ((1, 1), (2, 1), (1, 2), (3, 1), (1, 3), (2, 2))
SKIP_MOVES = ((1, 0), (0, 1))
MOVES = MATCH_MOVES + SKIP_MOVES
MAX_RUN = 3  # the most sentences on one side of a bead


@dataclass(frozen=True)
class AlignParams:
    band: int = 6  # half-width (sentences) of the fine DP band around the coarse path
    skip: float = 0.35  # cost of leaving one sentence unaligned
    coarse_skip: float = 0.45  # same, in the coarse 1-1 pass
    length_weight: float = 0.05  # weight of the Gale-Church length cost
    unit_penalty: float = 0.10  # per side whose run crosses a paragraph boundary
    # Bead-type priors. Tuned with bench/align_eval.py (newstest2014, seed 1).
    move_penalty: dict = field(
        default_factory=lambda: {(1, 1): 0.0, (2, 1): 0.05, (1, 2): 0.05, (3, 1): 0.15, (1, 3): 0.15, (2, 2): 0.2}
    )
    # A 2-1/3-1 bead with a source sentence unrelated to its MT sentence is usually an omission
    # glued to a neighbour: penalise a part whose cosine with the MT is below part_floor. (Not
    # applied to 1-2/1-3: the halves of a split sentence are often far from the whole.)
    part_floor: float = 0.35
    part_weight: float = 1.0
    coarse_max_cells: int = 60_000  # largest (n+1)*(m+1) solved with a full coarse DP
    conf_center: float = 0.45  # cosine at which a bead's confidence is 0.5 (USE-m3 scale)
    conf_scale: float = 0.06


DEFAULT_PARAMS = AlignParams()
