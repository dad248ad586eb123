"""The learned decision: how likely each candidate label is the one a question means.

A logistic regression over a few signals per candidate (lexical coverage, semantic similarity, slot
conflicts), trained on the knowledge base itself: every phrasing is scored by indexes that leave that
phrasing out, so the model learns how the signals behave on text it has not seen. Only training needs
scikit-learn; answering is a dot product.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

#: The signals of one candidate, in the order of a feature row.
FEATURES = (
    "lexical", "coverage", "phrase", "fuzzy",
    "semantic", "semantic_top3", "semantic_gap", "lexical_gap", "semantic_first", "lexical_first",
    "role_conflict", "company_conflict", "other_company", "other_role",
    "outside", "outside_semantic", "outside_lexical", "intent_oos_words", "intent_unknown_words",
    "no_lexical", "no_semantic",
)

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Decider:
    """A fitted logistic regression: the probability that a candidate is the label meant."""

    coefficients: tuple[float, ...]
    intercept: float
    #: Mean and scale of each feature, as standardized in training.
    means: tuple[float, ...]
    scales: tuple[float, ...]
    #: Share of the knowledge base's phrasings whose best candidate is right, in 5-fold cross-validation.
    cross_validated: float = 0.0

    def probabilities(self, rows: Matrix) -> npt.NDArray[np.float64]:
        """The probability of each row's candidate."""
        if not len(rows):
            return np.zeros(0)
        standardized = (rows - np.asarray(self.means)) / np.asarray(self.scales)
        z = np.einsum("ij,j->i", standardized, np.asarray(self.coefficients))
        return np.asarray(1.0 / (1.0 + np.exp(-(z + self.intercept))), dtype=np.float64)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping, for the cache."""
        return {"features": list(FEATURES), "coefficients": list(self.coefficients), "intercept": self.intercept,
                "means": list(self.means), "scales": list(self.scales), "cross_validated": self.cross_validated}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decider | None:
        """The decider saved by :meth:`to_dict`, or ``None`` when it was made for other features."""
        if data.get("features") != list(FEATURES):
            return None
        return cls(tuple(data["coefficients"]), float(data["intercept"]), tuple(data["means"]),
                   tuple(data["scales"]), float(data.get("cross_validated", 0.0)))


def train(rows: Matrix, targets: Sequence[int], groups: Sequence[int]) -> Decider:
    """Fit the decision on candidate rows (target 1 for the right label), grouped by question."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold
    from threadpoolctl import threadpool_limits

    # One BLAS thread: on small problems OpenBLAS's threads cost far more than they save.
    with threadpool_limits(limits=1):
        return _train(LogisticRegression, GroupKFold, rows, targets, groups)


def _train(model_class: Any, folds_class: Any, rows: Matrix, targets: Sequence[int], groups: Sequence[int]) -> Decider:

    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray(targets)
    g = np.asarray(groups)
    means = x.mean(axis=0)
    scales = np.where(x.std(axis=0) > 1e-9, x.std(axis=0), 1.0)
    z = (x - means) / scales

    def fit(indices: npt.NDArray[np.intp]) -> Any:
        model = model_class(C=1.0, max_iter=2000)
        model.fit(z[indices], y[indices])
        return model

    right = total = 0
    splits = min(5, len(np.unique(g)))
    if y.min() == y.max():
        # Every candidate right (or none): nothing to tell apart; trust the signals as they are.
        return Decider(tuple(1.0 if name in ("lexical", "semantic") else 0.0 for name in FEATURES), -1.0,
                       tuple(float(m) for m in means), tuple(float(s) for s in scales))
    for fitted, held in (folds_class(n_splits=splits).split(z, y, g) if splits >= 2 else ()):
        if y[fitted].min() == y[fitted].max():
            continue
        probabilities = fit(fitted).predict_proba(z[held])[:, 1]
        held_groups = g[held]
        for group in np.unique(held_groups):
            members = np.flatnonzero(held_groups == group)
            right += int(y[held][members[probabilities[members].argmax()]] == 1)
            total += 1
    model = fit(np.arange(len(y)))
    return Decider(tuple(float(c) for c in model.coef_[0]), float(model.intercept_[0]),
                   tuple(float(m) for m in means), tuple(float(s) for s in scales),
                   cross_validated=right / total if total else 0.0)
