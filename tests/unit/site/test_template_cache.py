"""Compiled templates kept between builds (Jinja's bytecode cache in the user's cache folder); parts of
pages rendered once for the pages that share them."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from opsrepo.site import render
from tests.helpers import MINIMAL, copy_repo, overlay
from tests.unit.site.test_builder import build

TEMPLATES = sorted(path.name for path in render.TEMPLATES.glob("*.html"))


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``$XDG_CACHE_HOME`` in a folder of the test's; the environment made again with it, and after it."""
    monkeypatch.setenv(render.CACHE_VARIABLE, str(tmp_path / "cache"))
    render.environment.cache_clear()
    yield tmp_path / "cache"
    render.environment.cache_clear()


def folder(cache_home: Path) -> Path:
    return cache_home / "opsrepo" / f"templates-{render.design_fingerprint()[:20]}-{jinja2.__version__}"


def test_templates_compiled_once_are_loaded_by_the_next_process_not_compiled(
        cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    render.compile_templates()
    assert sorted(path.suffix for path in folder(cache_home).iterdir()) == [".jinja"] * len(TEMPLATES)
    first = build(copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "first")
    # a fresh environment, as in the next build's process: every template comes from the cache
    render.environment.cache_clear()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a template was compiled")

    monkeypatch.setattr(jinja2.Environment, "_compile", refuse)
    render.compile_templates()
    second = build(tmp_path / "repo", tmp_path / "second")
    assert (first.pages, first.problems) == (second.pages, second.problems) == (23, [])
    assert {path.relative_to(tmp_path / "first"): path.read_bytes()
            for path in (tmp_path / "first").rglob("*.html")} == {
        path.relative_to(tmp_path / "second"): path.read_bytes() for path in (tmp_path / "second").rglob("*.html")}


def test_other_designs_folders_unused_for_30_days_are_removed_when_this_ones_is_made(cache_home: Path) -> None:
    parent = cache_home / "opsrepo"
    month_and_a_day = time.time() - 31 * 86400
    for name, used in (("templates-0123456789abcdef0123-3.1.0", month_and_a_day),
                       ("templates-fedcba9876543210fedc-3.1.0", time.time() - 29 * 86400)):
        (parent / name).mkdir(parents=True)
        (parent / name / "x.jinja").write_bytes(b"old")
        os.utime(parent / name, (used, used))
    (parent / "kept.txt").write_text("not ours to remove")
    os.utime(parent / "kept.txt", (month_and_a_day, month_and_a_day))
    render.compile_templates()
    assert sorted(path.name for path in parent.iterdir()) == sorted(
        ["kept.txt", "templates-fedcba9876543210fedc-3.1.0", folder(cache_home).name])


def test_a_build_marks_its_folder_used_and_leaves_the_others(cache_home: Path) -> None:
    render.compile_templates()
    other = cache_home / "opsrepo" / "templates-0123456789abcdef0123-3.1.0"
    other.mkdir()
    long_ago = time.time() - 90 * 86400
    for path in (other, folder(cache_home)):
        os.utime(path, (long_ago, long_ago))
    render.environment.cache_clear()
    before = time.time()
    render.compile_templates()  # this design's folder exists: used again, nothing removed
    assert folder(cache_home).stat().st_mtime >= before - 1
    assert other.stat().st_mtime == long_ago


def test_a_cache_folder_that_cannot_be_made_or_written_compiles_as_without(
        cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_home.write_text("a file where the cache folder goes")
    assert render.template_cache() is None
    render.compile_templates()  # compiled in this process only
    monkeypatch.setenv(render.CACHE_VARIABLE, "relative/cache")  # not a place to write
    assert render.template_cache() is None
    monkeypatch.setenv(render.CACHE_VARIABLE, str(tmp_path / "other"))
    cache = render.template_cache()
    assert cache is not None
    folder(tmp_path / "other").rmdir()  # gone before a template is written to it: compiled all the same
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(render.TEMPLATES), bytecode_cache=cache)
    assert env.get_template("macros.html").module is not None
    assert not folder(tmp_path / "other").exists()


@pytest.mark.parametrize("shared", ["writable", "owner"])
def test_a_folder_others_may_write_or_own_is_not_used(cache_home: Path, shared: str) -> None:
    render.compile_templates()  # this user's folder, kept
    assert render.template_cache() is not None
    if shared == "writable":  # a planted compiled template would run in the build
        folder(cache_home).chmod(0o777)
    else:
        if os.getuid() != 0:
            pytest.skip("only root gives a folder to another user")
        os.chown(folder(cache_home), 65534, 65534)
    assert render.template_cache() is None


def test_the_on_call_part_of_runbooks_naming_the_same_services_is_rendered_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three runbooks of one folder name the service ``api``: one rendering of their "who is on call"
    part, the same on each page; a runbook in another folder gets its own (its links go up one more)."""
    root = copy_repo(MINIMAL, tmp_path / "repo")
    front = "---\ntitle: {}\nteam: core\nservices: [api]\n---\nSteps.\n"
    overlay(root, {"runbooks/core/api-latency.md": front.format("API latency"),
                   "runbooks/core/api-restarts.md": front.format("API restarts"),
                   "runbooks/core/deep/api-disk.md": front.format("API disk")})
    rendered: list[str] = []
    render_template = jinja2.Template.render

    def counted(self: jinja2.Template, *args: object, **kwargs: object) -> str:
        rendered.append(str(self.name))
        return render_template(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", counted)
    assert build(root, tmp_path / "site").problems == []
    assert rendered.count("responders.html") == 2 and rendered.count("runbook.html") == 4
    pages = [(tmp_path / "site" / f"runbooks/core/{name}.html").read_text()
             for name in ("api-errors", "api-latency", "api-restarts")]
    sections = [re.findall(r'<section class="responders".*?</section>\n', page, re.S) for page in pages]
    assert len(sections[0]) == 1 and sections[0] == sections[1] == sections[2]
    assert '<a href="../../services/api.html">API</a>' in sections[0][0]
    deep = (tmp_path / "site/runbooks/core/deep/api-disk.html").read_text()
    assert '<a href="../../../services/api.html">API</a>' in deep
