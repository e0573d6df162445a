"""OPS201 reads a file's name off its path text where that settles it (hypothesis against ``PurePosixPath``)."""

from __future__ import annotations

from pathlib import PurePosixPath

from hypothesis import example, given, settings
from hypothesis import strategies as st

from opsrepo.rules.references import _named_by_id

_PARTS = st.text(st.sampled_from("ab.-_/"), max_size=8)


@settings(max_examples=500)
@given(_PARTS, _PARTS, st.sampled_from(["", ".yaml", ".yml", ".md", ".yaml.md", "/", "/.", "..yaml", ".txt"]))
@example("", "", ".yaml")  # a hidden file's name is its stem
@example("a.b", "teams/", ".yaml")  # the last dot is the suffix's
@example("a", "x//", ".yaml/")  # a trailing slash
def test_a_name_read_off_the_text_is_the_path_s_stem(record_id: str, folder: str, tail: str) -> None:
    file = f"{folder}{record_id}{tail}"
    if _named_by_id(record_id, file):
        assert PurePosixPath(file).stem == record_id


def test_the_files_of_an_ops_repo_are_read_off_the_text() -> None:
    assert _named_by_id("api-1-primary", "schedules/api-1-primary.yaml")
    assert _named_by_id("pm-1", "postmortems/2026/pm-1.md")
    assert not _named_by_id("api-1", "schedules/api-1-primary.yaml")
    assert not _named_by_id("api", "schedules/api.yaml.bak")
