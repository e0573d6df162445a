"""Appending overrides to a schedule file keeps every other byte: block, flow, empty and missing lists."""

from __future__ import annotations

import pytest
import yaml

from opsrepo.rota.edit import EditError, append_overrides, entry_text

NEW = [{"person": "bruno", "from": "2026-12-24T09:00", "to": "2026-12-27T09:00", "reason": "swap: bruno takes alice's turn"}]
LINE = '{person: bruno, from: "2026-12-24T09:00", to: "2026-12-27T09:00", reason: "swap: bruno takes alice\'s turn"}'
HEAD = "id: s\nname: S\nteam: t\n"


def test_entry_text_quotes_what_yaml_1_1_would_not_read_as_text() -> None:
    assert entry_text({"person": "no", "reason": 'say "hi"'}) == '{person: "no", reason: "say \\"hi\\""}'
    assert entry_text({"person": "ana-2"}) == "{person: ana-2}"


@pytest.mark.parametrize(("before", "after"), [
    # a block list of flow mappings, a trailing comment on the last item and a key after it
    (HEAD + "overrides:\n  - {person: a, from: \"2026-01-01T00:00\", to: \"2026-01-02T00:00\"}  # why\n"
            "\n# next\nlayers: []\n",
     HEAD + "overrides:\n  - {person: a, from: \"2026-01-01T00:00\", to: \"2026-01-02T00:00\"}  # why\n"
            f"  - {LINE}\n\n# next\nlayers: []\n"),
    # block mappings indented under the key, file without a final newline
    (HEAD + "overrides:\n    - person: a\n      from: \"2026-01-01T00:00\"\n      to: \"2026-01-02T00:00\"",
     HEAD + "overrides:\n    - person: a\n      from: \"2026-01-01T00:00\"\n      to: \"2026-01-02T00:00\"\n"
            f"    - {LINE}\n"),
    # a list not indented under its key
    (HEAD + "overrides:\n- {person: a, from: \"2026-01-01T00:00\", to: \"2026-01-02T00:00\"}\n",
     HEAD + "overrides:\n- {person: a, from: \"2026-01-01T00:00\", to: \"2026-01-02T00:00\"}\n"
            f"- {LINE}\n"),
    # flow lists, empty and not
    (HEAD + "overrides: []  # none yet\n", HEAD + f"overrides: [{LINE}]  # none yet\n"),
    (HEAD + "overrides: [{person: a, from: \"2026-01-01T00:00\", to: \"2026-01-02T00:00\"}]\n",
     HEAD + f"overrides: [{{person: a, from: \"2026-01-01T00:00\", to: \"2026-01-02T00:00\"}}, {LINE}]\n"),
    # a key without a value, and no key at all (with and without a final newline)
    (HEAD + "overrides:\nlayers: []\n", HEAD + f"overrides:\n  - {LINE}\nlayers: []\n"),
    (HEAD + "overrides: null\n", HEAD + f"overrides:\n  - {LINE}\n"),
    (HEAD, HEAD + f"overrides:\n  - {LINE}\n"),
    (HEAD.rstrip("\n"), HEAD + f"overrides:\n  - {LINE}\n"),
])
def test_append(before: str, after: str) -> None:
    edited = append_overrides(before, NEW)
    assert edited == after
    assert yaml.safe_load(edited)["overrides"][-1] == NEW[0]


def test_two_entries_keep_their_order() -> None:
    second = {**NEW[0], "person": "alice", "reason": "swap"}
    edited = append_overrides(HEAD + "overrides: []\n", [NEW[0], second])
    assert [o["person"] for o in yaml.safe_load(edited)["overrides"]] == ["bruno", "alice"]


@pytest.mark.parametrize("text", ["overrides: 3\n", "overrides: {a: 1}\n", "- a\n", "a: [\n"])
def test_what_cannot_be_edited(text: str) -> None:
    with pytest.raises(EditError):
        append_overrides(text, NEW)
