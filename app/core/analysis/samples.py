"""Evidence from several samples and the schema together: do the samples agree, and do they
carry varying subsets of the schema's optional fields (a partial update, hence a delta)?"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from itertools import combinations

from app.core.vocabulary import EventShape, ShapeSignal

from .fields import Field
from .model import Signal

# Samples sharing less than this (Jaccard of their carried fields) are partial updates.
VARYING_BELOW = 0.5
_MAX_SAMPLES = 50  # the pairwise comparison is quadratic; 50 samples are plenty


def sample_signals(
    per_sample: list[list[Field]],
    schema_fields: list[Field],
    classify_one: Callable[[int], EventShape],
    samples: list[dict],
) -> list[Signal]:
    """`varying-fields` (delta) and `sample-agreement` (informational) for two or more
    samples; `classify_one(i)` classifies the i-th sample alone. Returns [] for fewer samples."""
    if len(samples) < 2:
        return []
    out = _varying(per_sample[:_MAX_SAMPLES], schema_fields)
    shapes = Counter(classify_one(index) for index in range(min(len(samples), _MAX_SAMPLES)))
    if len(shapes) > 1:
        said = ", ".join(f"{n} {shape}" for shape, n in shapes.most_common())
        n = shapes.most_common(1)[0][1]
        msg = f"the samples alone disagree ({said}); together they are read as one event"
        out.append(
            Signal(ShapeSignal.SAMPLE_AGREEMENT, msg, [], round(n / sum(shapes.values()), 3), None)
        )
    return out


def _carried(fields: list[Field]) -> set[str]:
    return {f.pointer for f in fields if f.leaf and f.value is not None}


def _varying(per_sample: list[list[Field]], schema_fields: list[Field]) -> list[Signal]:
    carried = [_carried(fields) for fields in per_sample]
    pairs = [len(a & b) / len(a | b) for a, b in combinations(carried, 2) if a | b]
    if not pairs:
        return []
    share = sum(pairs) / len(pairs)
    varying = set().union(*carried) - set.intersection(*carried)
    required = {f.pointer for f in schema_fields if f.required}
    if share >= VARYING_BELOW or not varying or varying & required:
        # Samples lacking required fields are invalid ones, not partial updates.
        return []
    msg = (
        f"the samples share {share:.0%} of their fields: each carries another subset "
        "(of the schema's optional fields), as partial updates do"
    )
    return [
        Signal(
            ShapeSignal.VARYING_FIELDS, msg, sorted(varying)[:8], round(share, 3), EventShape.DELTA
        )
    ]
