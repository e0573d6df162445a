"""Ids, restriction windows and the YAML writer of the importers."""

from __future__ import annotations

import pytest
import yaml

from opsrepo.importers.ids import allocate, first_slug, slug
from opsrepo.importers.windows import DAY, to_windows
from opsrepo.importers.yamlout import dump, scalar


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zoë O'Brien", "zoe-o-brien"),
        ("Ünal Yıldız", "unal-yildiz"),
        ("Søren Ærø", "soren-aero"),
        ("  Platform -- Primary!! ", "platform-primary"),
        ("山田太郎", ""),
        ("ops_schedule", "ops-schedule"),
    ],
)
def test_slugs(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_a_name_without_latin_letters_falls_back_to_the_email_then_the_vendor_id() -> None:
    assert first_slug("山田太郎", "taro.yamada", "PX1") == "taro-yamada"
    assert first_slug("山田太郎", None, "PX1") == "px1"


@pytest.mark.parametrize(
    "order", [[("P2", "ops"), ("P1", "ops"), ("P3", "ops")], [("P3", "ops"), ("P1", "ops"), ("P2", "ops")]]
)
def test_collisions_are_settled_by_sorted_vendor_ids_not_input_order(order: list[tuple[str, str]]) -> None:
    assert allocate(order) == {"P1": "ops", "P2": "ops-2", "P3": "ops-3"}


def test_taken_ids_are_never_allocated() -> None:
    assert allocate([("P1", "ana")], taken={"ana", "ana-2"}) == {"P1": "ana-3"}


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        pytest.param(
            [(d * DAY + 9 * 60, 8 * 60) for d in range(5)],
            [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "09:00", "to": "17:00"}],
            id="weekdays",
        ),
        pytest.param(
            [(0 * DAY + 9 * 60, 4 * DAY + 9 * 60)],  # Monday 09:00 to Friday 18:00, one span
            [
                {"days": ["mon", "tue", "wed", "thu"], "from": "09:00", "to": "09:00"},
                {"days": ["fri"], "from": "09:00", "to": "18:00"},
            ],
            id="several-days-in-one",
        ),
        pytest.param(
            [(4 * DAY + 18 * 60, 2 * DAY + 14 * 60)],  # Friday 18:00 to Monday 08:00
            [
                {"days": ["fri", "sat"], "from": "18:00", "to": "18:00"},
                {"days": ["sun"], "from": "18:00", "to": "08:00"},
            ],
            id="across-the-weeks-end",
        ),
        pytest.param(
            [(d * DAY + 20 * 60, 12 * 60) for d in range(7)],
            [{"from": "20:00", "to": "08:00"}],
            id="every-night",
        ),
        pytest.param([(3 * DAY, 7 * DAY)], None, id="a-whole-week-is-no-restriction"),
    ],
)
def test_spans_become_windows(spans: list[tuple[int, int]], expected: list[dict[str, object]] | None) -> None:
    assert to_windows(spans) == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("09:00", '"09:00"'),
        ("no", '"no"'),
        ("On", '"On"'),
        ("2026-01-05T09:00", '"2026-01-05T09:00"'),
        ("1e3", '"1e3"'),
        ("10", '"10"'),
        ("5m", "5m"),
        ("1w2d", "1w2d"),
        ("schedule:ops", "schedule:ops"),
        ("Ana Silva", "Ana Silva"),
        ("a: b", '"a: b"'),
        ("#chat", '"#chat"'),
        ("Zoë", '"Zoë"'),
        ("24x7", '"24x7"'),
        (True, "true"),
        (3, "3"),
    ],
)
def test_scalars_are_quoted_whenever_yaml_could_read_them_otherwise(value: object, text: str) -> None:
    assert scalar(value) == text
    assert yaml.safe_load(f"k: {text}")["k"] == value


def test_documents_read_back_as_written() -> None:
    document = {
        "id": "ops",
        "name": "Ops «primary»",
        "layers": [
            {
                "name": "w",
                "members": ["a", "b"],
                "start": "2026-01-05T09:00",
                "length": "1w",
                "restrictions": [{"days": ["sat"], "from": "10:00", "to": "10:00"}],
            }
        ],
        "overrides": [{"person": "a", "from": "2026-12-01T01:00", "to": "2026-12-02T01:00"}],
    }
    text = dump(document, "../schemas/schedule.schema.json")
    assert (
        text
        == """\
# yaml-language-server: $schema=../schemas/schedule.schema.json
id: ops
name: "Ops «primary»"
layers:
  - name: w
    members: [a, b]
    start: "2026-01-05T09:00"
    length: 1w
    restrictions:
      - {days: [sat], from: "10:00", to: "10:00"}
overrides:
  - {person: a, from: "2026-12-01T01:00", to: "2026-12-02T01:00"}
"""
    )
    assert yaml.safe_load(text) == document
