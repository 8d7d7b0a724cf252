"""B-cubed precision, recall and F1 of a clustering against gold labels."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection


def bcubed(
    predicted: dict[str, str], gold: dict[str, str], items: Collection[str] | None = None
) -> tuple[float, float, float]:
    """B-cubed (precision, recall, F1) over the items of `gold`, or over `items` only.

    For each item, precision is the share of its predicted cluster that shares its gold
    label, recall the share of its gold cluster that shares its predicted cluster; both
    are averaged over items. Clusters are counted over all of `gold`, so scoring a part
    (`items`) still charges a merge with an article outside it. Items missing from
    `predicted` count as singletons.
    """
    scored = [i for i in gold if items is None or i in items]
    if not scored:
        return 0.0, 0.0, 0.0
    predicted_label = {i: predicted.get(i, f"\0{i}") for i in gold}
    pair_counts = Counter((predicted_label[i], gold[i]) for i in gold)
    predicted_sizes = Counter(predicted_label.values())
    gold_sizes = Counter(gold.values())
    precision = recall = 0.0
    for i in scored:
        both = pair_counts[(predicted_label[i], gold[i])]
        precision += both / predicted_sizes[predicted_label[i]]
        recall += both / gold_sizes[gold[i]]
    precision, recall = precision / len(scored), recall / len(scored)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
