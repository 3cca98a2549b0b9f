"""Flow-diagram geometry for a service guide's steps (办理流程), as plain data for an inline SVG.

Python decides where things go; ``templates/components/flow.html`` decides how they look. The
steps are stacked top to bottom, one box each joined by arrows: a column of boxes stays legible
when a 390-px phone scales it down, where a row of five would not. Everything is stroked and
filled with ``currentColor`` (or left unfilled), so high-contrast and forced-colours modes keep it.
The ordered list beside it is the text alternative; the drawing adds nothing the list does not say.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 400
MARGIN = 8
BOX_HEIGHT = 60
GAP = 32  # between two boxes: the arrow
HEAD = 8  # the arrowhead's length and half its width

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class FlowBox:
    number: int  # 1-based
    x: float
    y: float
    width: float
    height: float
    label: str  # "1. 提出申请"
    label_y: float
    note: str  # the step's time limit, "" when none
    note_y: float

    @property
    def center_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True, slots=True)
class FlowArrow:
    x: float
    y1: float  # the shaft, from the box above
    y2: float  # to where the head starts
    head: tuple[Point, Point, Point]  # a triangle whose tip touches the box below


@dataclass(frozen=True, slots=True)
class Flow:
    width: int
    height: int
    boxes: tuple[FlowBox, ...]
    arrows: tuple[FlowArrow, ...]


def flow_diagram(steps: Sequence[tuple[str, str]]) -> Flow:
    """The diagram of ``steps`` (name, time limit or ""), in order."""
    boxes = []
    arrows = []
    x, width = MARGIN, WIDTH - 2 * MARGIN
    for index, (name, days) in enumerate(steps):
        y = MARGIN + index * (BOX_HEIGHT + GAP)
        label_y = y + (BOX_HEIGHT / 2 - 4 if days else BOX_HEIGHT / 2 + 6)
        boxes.append(FlowBox(index + 1, x, y, width, BOX_HEIGHT, f"{index + 1}. {name}", label_y, days, y + 46))
        if index:
            tip = float(y)
            top = tip - GAP
            center = x + width / 2
            arrows.append(
                FlowArrow(
                    center, top, tip - HEAD, ((center - HEAD, tip - HEAD), (center + HEAD, tip - HEAD), (center, tip))
                )
            )
    height = MARGIN * 2 + len(steps) * BOX_HEIGHT + max(0, len(steps) - 1) * GAP
    return Flow(WIDTH, height, tuple(boxes), tuple(arrows))
