"""The README's quick start and the how-to guides do what they say.

A fenced block is checked when its info string says so (GitHub shows the
first word as the language and ignores the rest):

- ```` ```sh runnable ````: each line is run, in order, in a scratch folder:
  ``opsrepo ...`` through the CLI (exit 0 expected; ``exit=N`` after
  ``runnable``: exit N), ``cd DIR``, ``git clone
  URL [DIR]`` (a fresh clone of a repository GitHub made with a README,
  a .gitignore and a LICENSE, as in tests/acceptance/test_init_clone.py),
  ``git add``/``git commit``; ``git push``, ``$EDITOR ...`` (the guide's
  YAML blocks are the edits) and ``pip install`` of the source ``opsrepo
  init`` writes into workflows are the reader's, not the test's. Any other
  line fails the test.
- ```` ```text output ```` right after a runnable sh block: what its
  ``opsrepo`` commands print on stdout, exactly.
- ```` ```yaml runnable file=PATH ````: the whole file PATH, written.
- ```` ```yaml excerpt file=PATH ````: lines PATH holds at that point, as written.
- ```` ```yaml merge file=PATH ````: a mapping merged into PATH's (key by key,
  recursively; PATH is written again without its comments).

A document's blocks run one after the other in one scratch folder, as of
2026-11-23T09:00Z (OPSREPO_NOW) with TZ=UTC; after the last, ``opsrepo
validate`` passes where the document left off.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from opsrepo.scaffold.init import DEFAULT_SPEC
from tests.acceptance.test_init_clone import fresh_clone_at
from tests.helpers import ROOT

NOW = "2026-11-23T09:00:00Z"
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs" / "how-to").glob("*.md"))]
GIT_ENV = {"GIT_AUTHOR_NAME": "Docs", "GIT_AUTHOR_EMAIL": "docs@example.com", "GIT_COMMITTER_NAME": "Docs",
           "GIT_COMMITTER_EMAIL": "docs@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


@dataclass(frozen=True)
class Block:
    """A fenced block of a document: where it is, its info-string words, its text."""

    document: Path
    line: int
    words: tuple[str, ...]
    text: str

    @property
    def where(self) -> str:
        return f"{self.document.relative_to(ROOT)}:{self.line}"

    def attribute(self, name: str) -> str | None:
        return next((word.split("=", 1)[1] for word in self.words if word.startswith(f"{name}=")), None)

    def marked(self, *words: str) -> bool:
        return self.words[:1] + tuple(w for w in self.words[1:] if "=" not in w) == words


def blocks(document: Path) -> list[Block]:
    """Every fenced block of ``document``, with its first line's number."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(document.read_text(encoding="utf-8"))
    return [Block(document, token.map[0] + 1 if token.map else 0, tuple(token.info.split()), token.content)
            for token in tokens if token.type == "fence"]


def checked(document: Path) -> list[Block]:
    return [block for block in blocks(document)
            if {"runnable", "output", "excerpt", "merge"} & set(block.words[1:])]


class Reader:
    """A reader following a document in ``cwd``."""

    def __init__(self, scratch: Path) -> None:
        self.cwd = scratch
        self.exit_code = 0

    def opsrepo(self, args: list[str], where: str) -> str:
        previous = Path.cwd()
        os.chdir(self.cwd)
        try:
            result = CliRunner().invoke(cli, args, env={"OPSREPO_NOW": NOW, "TZ": "UTC"})
        finally:
            os.chdir(previous)
        assert result.exit_code == self.exit_code, f"{where}: opsrepo {shlex.join(args)}\n{result.output}"
        return result.stdout

    def run(self, words: list[str], where: str) -> str:
        """One simple command; what it prints when it is opsrepo."""
        match words:
            case ["opsrepo", *args]:
                return self.opsrepo(args, where)
            case ["cd", folder]:
                self.cwd = (self.cwd / folder).resolve()
                assert self.cwd.is_dir(), f"{where}: no folder {folder}"
            case ["git", "clone", url, *folder]:
                fresh_clone_at(self.cwd / (folder[0] if folder else url.rsplit("/", 1)[-1].removesuffix(".git")))
            case ["git", "add" | "commit" as what, *args]:
                subprocess.run(["git", what, *args], cwd=self.cwd, check=True, capture_output=True,
                               env={**os.environ, **GIT_ENV})
            case ["git", "push", *_] | ["$EDITOR", *_]:
                pass
            case ["pip", "install", spec]:
                assert spec == DEFAULT_SPEC, f"{where}: pip install {spec!r}, not the source init writes"
            case _:
                pytest.fail(f"{where}: the docs runner does not run {shlex.join(words)!r}")
        return ""

    def run_block(self, block: Block) -> str:
        printed = ""
        self.exit_code = int(block.attribute("exit") or 0)
        for number, line in enumerate(block.text.splitlines()):
            words = shlex.split(line, comments=True)
            while words:
                command, words = (words[:words.index("&&")], words[words.index("&&") + 1:]) if "&&" in words \
                    else (words, [])
                printed += self.run(command, f"{block.where}+{number + 1}")
        return printed

    def write(self, block: Block, path: str) -> None:
        target = self.cwd / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.text, encoding="utf-8")

    def merge(self, block: Block, path: str) -> None:
        import yaml

        def merged(base: object, extra: object) -> object:
            if isinstance(base, dict) and isinstance(extra, dict):
                return {**base, **{key: merged(base.get(key), value) for key, value in extra.items()}}
            return extra

        document = yaml.safe_load((self.cwd / path).read_text(encoding="utf-8"))
        (self.cwd / path).write_text(yaml.safe_dump(merged(document, yaml.safe_load(block.text)),
                                                    sort_keys=False), encoding="utf-8")

    def holds(self, block: Block, path: str) -> None:
        text = (self.cwd / path).read_text(encoding="utf-8")
        assert block.text in text, f"{block.where}: {path} does not hold this excerpt; it reads:\n{text}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_documents_examples_work(tmp_path: Path, document: Path) -> None:
    reader = Reader(tmp_path)
    printed: str | None = None
    for block in checked(document):
        path = block.attribute("file")
        if block.marked("sh", "runnable"):
            printed = reader.run_block(block)
            continue
        if block.marked("text", "output"):
            assert printed is not None, f"{block.where}: output of no runnable block"
            assert printed == block.text, f"{block.where}: the commands above print\n{printed}"
        elif block.marked("yaml", "runnable") and path:
            reader.write(block, path)
        elif block.marked("yaml", "merge") and path:
            reader.merge(block, path)
        elif block.marked("yaml", "excerpt") and path:
            reader.holds(block, path)
        else:
            pytest.fail(f"{block.where}: unknown marking {' '.join(block.words)!r}")
        printed = None
    reader.exit_code = 0
    assert reader.opsrepo(["validate"], f"{document.name} (end)").startswith("ok: 0 errors")


def test_every_how_to_is_checked_and_the_readme_opens_with_the_quick_start() -> None:
    assert [p.name for p in DOCUMENTS[1:]] == [
        "follow-the-sun.md", "primary-and-secondary.md", "swaps-and-cover.md", "time-off-and-holidays.md"]
    for document in DOCUMENTS[1:]:
        assert any(b.marked("sh", "runnable") for b in checked(document)), document.name
        assert any(b.marked("yaml", "runnable") or b.marked("yaml", "excerpt") for b in checked(document)), (
            document.name)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    title, commands, heading, quick_start, *_ = re.split(r"\n\n+", readme, maxsplit=4)
    assert title == "# opsrepo"
    assert commands.startswith("```sh\nbash scripts/setup.sh && .venv/bin/opsrepo build   #")
    assert heading == "## Quick start for your team"
    assert quick_start.startswith("```sh runnable\n")
    assert 1 <= len(quick_start.splitlines()) - 2 <= 10


def test_the_screenshot_is_a_small_png_of_the_desktop_width() -> None:
    png = (ROOT / "docs" / "img" / "site-home.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1280, 800)
    assert len(png) < 200 * 1024
    assert "](docs/img/site-home.png)" in (ROOT / "README.md").read_text(encoding="utf-8")


def github_anchor(heading: str) -> str:
    """The id GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(document: Path) -> set[str]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(document.read_text(encoding="utf-8"))
    return {github_anchor(tokens[i + 1].content) for i, token in enumerate(tokens) if token.type == "heading_open"}


@pytest.mark.parametrize("document", [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_reaches_a_file_and_a_heading(document: Path) -> None:
    from markdown_it import MarkdownIt

    broken = []
    for token in MarkdownIt("commonmark").parse(document.read_text(encoding="utf-8")):
        for child in token.children or []:
            href = str(child.attrs.get("href") or child.attrs.get("src") or "")
            if not href or re.match(r"[a-z]+:", href):
                continue
            path, _, anchor = href.partition("#")
            target = (document.parent / path).resolve() if path else document
            if not target.exists() or (anchor and target.suffix == ".md" and anchor not in anchors(target)):
                broken.append(href)
    assert broken == []
