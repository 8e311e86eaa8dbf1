from decimal import Decimal

import pytest

from reconcile.numbers import Interval, NumberError, fold_text, parse_chinese_numeral, parse_number


@pytest.mark.parametrize(
    ("text", "value", "decimals"),
    [
        ("611.98", "611.98", 2),
        ("2,664.70", "2664.70", 2),
        ("１２.５", "12.5", 1),
        ("412", "412", 0),
        (" 21.95 ", "21.95", 2),
        ("-3.10", "-3.10", 2),
        ("10.2%", "10.2", 1),
    ],
)
def test_parse_number_keeps_printed_decimals(text: str, value: str, decimals: int) -> None:
    p = parse_number(text)
    assert p.value == Decimal(value)
    assert p.decimals == decimals


@pytest.mark.parametrize("bad", ["", "abc", "1.2.3", "--"])
def test_parse_number_rejects(bad: str) -> None:
    with pytest.raises(NumberError):
        parse_number(bad)


@pytest.mark.parametrize(
    ("text", "value"), [("十二", 12), ("二十三", 23), ("一百零五", 105), ("三千万", 30_000_000), ("两", 2)]
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert parse_chinese_numeral(text) == value


def test_fold_keeps_length_and_maps_kangxi() -> None:
    s = "⼀般公共预算１２３"
    f = fold_text(s)
    assert len(f) == len(s)
    assert f == "一般公共预算123"


def test_interval_sum_widens_with_addends() -> None:
    parts = [parse_number(x).interval for x in ("228.63", "287.71", "36.21", "10.14", "49.42")]
    total = Interval.sum(parts)
    assert total.lo == Decimal("612.085") and total.hi == Decimal("612.135")
    assert parse_number("612.10").interval.meets(total)  # tail rounding: consistent
    assert not parse_number("612.20").interval.meets(total)


def test_interval_rate() -> None:
    change = parse_number("69.64").interval
    prior = parse_number("611.98").interval + change
    rate = (change / prior).scale(Decimal(100))
    assert parse_number("10.2").interval.meets(rate)
    assert not parse_number("12.2").interval.meets(rate)
