"""Date expressions are resolved against the publication date, and nothing is invented without one."""

from __future__ import annotations

import datetime as dt

import pytest

from eventwire.timex import resolve_expression

PUBLISHED = dt.date(2023, 5, 24)  # a Wednesday


@pytest.mark.parametrize(
    ("expression", "date", "precision"),
    [
        ("on Wednesday", "2023-05-24", "day"),
        ("This Wednesday", "2023-05-24", "day"),
        ("since Monday", "2023-05-22", "day"),
        ("On Tuesday", "2023-05-23", "day"),
        ("yesterday", "2023-05-23", "day"),
        ("last week", "2023-05-17", "month"),
        ("in February", "2023-02-01", "month"),
        ("last September", "2022-09-01", "month"),
        ("last year", "2022-01-01", "year"),
        ("February 21-22", "2023-02-21", "day"),
        ("on February 24", "2023-02-24", "day"),
        ("in December", "2022-12-01", "month"),
        ("May 24, 2023", "2023-05-24", "day"),
        ("24 February 2022", "2022-02-24", "day"),
        ("in 2022", "2022-01-01", "year"),
        ("three days ago", "2023-05-21", "day"),
        ("earlier this month", "2023-05-01", "month"),
    ],
)
def test_expressions_resolve_against_the_publication_date(expression: str, date: str, precision: str) -> None:
    value = resolve_expression(expression, PUBLISHED)
    assert value is not None
    assert (value.iso(), value.precision) == (date, precision)


def test_future_tense_looks_forward() -> None:
    value = resolve_expression("on Friday", PUBLISHED, tense="future")
    assert value is not None and value.iso() == "2023-05-26"


@pytest.mark.parametrize("expression", ["on Wednesday", "last week", "in February", "last year", "February 21"])
def test_without_a_publication_date_relative_expressions_give_nothing(expression: str) -> None:
    assert resolve_expression(expression, None) is None


def test_stated_years_date_events_even_without_publication_date() -> None:
    value = resolve_expression("since February 2022", None)
    assert value is not None and (value.iso(), value.precision, value.method) == ("2022-02-01", "month", "explicit")


def test_the_modal_may_is_not_a_month() -> None:
    assert resolve_expression("the minister may resign", PUBLISHED) is None
    value = resolve_expression("in May", PUBLISHED)
    assert value is not None and value.iso() == "2023-05-01"
