"""B-cubed precision, recall and F1 of a clustering against gold labels."""

from __future__ import annotations

from collections import Counter


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed (precision, recall, F1) over the items of `gold`.

    For each item, precision is the share of its predicted cluster that shares its gold
    label, recall the share of its gold cluster that shares its predicted cluster; both
    are averaged over items. Items missing from `predicted` count as singletons.
    """
    items = list(gold)
    if not items:
        return 0.0, 0.0, 0.0
    predicted_label = {i: predicted.get(i, f"\0{i}") for i in items}
    pair_counts = Counter((predicted_label[i], gold[i]) for i in items)
    predicted_sizes = Counter(predicted_label.values())
    gold_sizes = Counter(gold[i] for i in items)
    precision = recall = 0.0
    for i in items:
        both = pair_counts[(predicted_label[i], gold[i])]
        precision += both / predicted_sizes[predicted_label[i]]
        recall += both / gold_sizes[gold[i]]
    precision, recall = precision / len(items), recall / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
