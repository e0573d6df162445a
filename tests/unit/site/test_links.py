"""Links authors write, as the site writes them: pages, objects, images, repo files, broken ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsrepo.errors import Diagnostic, Severity
from opsrepo.load.repo import load_repo
from opsrepo.rules.runbook_links import Link, LinkResolver, leads_anywhere
from opsrepo.site.links import LinkContext
from opsrepo.site.urls import Linker
from tests.helpers import MINIMAL, copy_repo, overlay

SOURCE = "runbooks/core/db.md"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = copy_repo(MINIMAL, tmp_path / "repo")
    overlay(root, {
        SOURCE: "---\ntitle: Database\nteam: core\nservices: [api]\n---\n# Database\n",
        "runbooks/core/img/graph.png": {"base64": "iVBORw0KGgo="},
        "runbooks/core/img/diagram.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "scripts/failover.sh": "#!/bin/sh\n",
    })
    return root


def context(root: Path, repo_url: str | None = None, source: str = SOURCE) -> LinkContext:
    """Links as the site writes them on the page of ``source``."""
    repo = load_repo(root).repo
    page = source.rsplit(".", 1)[0] + ".html"
    return LinkContext(repo, LinkResolver(repo), root, source, Linker(page), repo_url, "main")


@pytest.mark.parametrize(("href", "expected"), [
    ("api-errors.md", "api-errors.html"),
    ("api-errors.md#roll-back", "api-errors.html#roll-back"),
    ("./api-errors.md", "api-errors.html"),
    ("/runbooks/core/api-errors.md", "api-errors.html"),
    ("../../postmortems/2026-10-01-api-outage.md", "../../postmortems/2026-10-01-api-outage.html"),
    ("../../schedules/core-primary.yaml", "../../schedules/core-primary.html"),
    ("../../teams/core.yaml", "../../teams/core.html"),
    ("../../policies/escalation/core.yaml", "../../policies/core.html"),
    ("../../policies/severity.yaml", "../../severity.html"),
    ("service:api", "../../services/api.html"),
    ("schedule:core-primary", "../../schedules/core-primary.html"),
    ("policy:core", "../../policies/core.html"),
    ("person:ana", "../../people/ana.html"),
    ("team:core", "../../teams/core.html"),
    ("runbook:core/api-errors", "api-errors.html"),
    ("postmortem:2026-10-01-api-outage", "../../postmortems/2026-10-01-api-outage.html"),
    ("alert:api-5xx", "../../services/api.html#alert-api-5xx"),
    ("severity:SEV1", "../../severity.html#severity-SEV1"),
    ("#database", "#database"),
    ("https://grafana.example/d/1?x=1", "https://grafana.example/d/1?x=1"),
    ("mailto:oncall@example.com", "mailto:oncall@example.com"),
    ("//cdn.example/x", "//cdn.example/x"),
])
def test_links_become_site_links(root: Path, href: str, expected: str) -> None:
    links = context(root)
    assert links.rewrite(Link(href, 9, 3)) == expected
    assert links.problems == []


@pytest.mark.parametrize(("href", "anywhere"), [
    ("#database", True), ("", True), ("?tab=1", True), ("https://grafana.example/d/1", True),
    ("HTTPS://GRAFANA.EXAMPLE/", True), ("mailto:oncall@example.com", True), ("//cdn.example/x", True),
    ("api-errors.md", False), ("api-errors.md#roll-back", False), ("service:api", False),
    ("img/graph.png", False), ("javascript:alert(1)", False), ("nope:x", False),
])
def test_only_external_urls_and_same_page_anchors_lead_the_same_way_anywhere(
        root: Path, tmp_path: Path, href: str, anywhere: bool) -> None:
    assert leads_anywhere(href) is anywhere
    if anywhere:  # written the same from another file of a repo without the runbooks (a rebuild skips them)
        other = copy_repo(MINIMAL, tmp_path / "other")
        for runbook in (other / "runbooks").rglob("*.md"):
            runbook.unlink()
        elsewhere = context(other, source="postmortems/x.md")
        here = context(root)
        assert elsewhere.rewrite(Link(href, 3, 1)) == here.rewrite(Link(href, 3, 1))
        assert elsewhere.problems == here.problems == []


def test_images_in_the_repo_are_published_next_to_their_page(root: Path) -> None:
    links = context(root)
    assert links.rewrite(Link("img/graph.png", 9, 3, image=True)) == "img/graph.png"
    assert links.images == {"runbooks/core/img/graph.png"}


def test_repo_files_link_to_github_when_the_repo_url_is_known(root: Path) -> None:
    links = context(root, "https://github.com/acme/ops/")
    assert links.rewrite(Link("../../scripts/failover.sh", 9, 3)) == (
        "https://github.com/acme/ops/blob/main/scripts/failover.sh")


def problem(root: Path, link: Link, repo_url: str | None = None) -> tuple[str | None, list[Diagnostic]]:
    links = context(root, repo_url)
    return links.rewrite(link), links.problems


@pytest.mark.parametrize(("link", "message", "hint"), [
    (Link("api-error.md", 9, 3), "broken link 'api-error.md': no runbook at runbooks/core/api-error.md",
     "did you mean 'api-errors.md'?"),
    (Link("service:apii", 9, 3), "broken link 'service:apii': unknown service 'apii'", "did you mean 'api'?"),
    (Link("../../../x.md", 9, 3), "broken link '../../../x.md': '../../../x.md' points outside the ops repo",
     "link to files inside the repo, or use a full https:// URL"),
    (Link("img/nope.png", 9, 3, image=True), "broken link 'img/nope.png': no file at runbooks/core/img/nope.png",
     None),
    (Link("img/diagram.svg", 9, 3, image=True),
     "broken link 'img/diagram.svg': runbooks/core/img/diagram.svg: SVG images are not published "
     "(they can carry script); use PNG", None),
    (Link("../../scripts/failover.sh", 9, 3, image=True),
     "broken link '../../scripts/failover.sh': scripts/failover.sh is not an image the site publishes "
     "(.avif, .gif, .jpeg, .jpg, .png, .webp)", None),
    (Link("../../scripts/failover.sh", 9, 3),
     "broken link '../../scripts/failover.sh': scripts/failover.sh is not a page of the site",
     "set site.repo_url in opsrepo.yaml so the site links repo files on GitHub"),
    (Link("../../scripts/missing.sh", 9, 3), "broken link '../../scripts/missing.sh': no file at scripts/missing.sh",
     None),
])
def test_broken_links_are_errors_naming_file_line_and_column(root: Path, link: Link, message: str,
                                                            hint: str | None) -> None:
    href, problems = problem(root, link)
    assert href is None
    assert problems == [Diagnostic(SOURCE, 9, 3, "OPS601", message, Severity.ERROR, hint)]
    assert [p.hint for p in problems] == [hint]


def test_a_link_into_a_file_that_does_not_load_is_dropped_with_a_reason(root: Path) -> None:
    overlay(root, {"runbooks/core/broken.md": "---\ntitle: [unclosed\n---\nx\n"})
    href, problems = problem(root, Link("broken.md", 9, 3))
    assert href is None
    assert [(p.code, p.message) for p in problems] == [
        ("OPS601", "broken link 'broken.md': runbook 'core/broken' is in a file that does not load")]


def test_image_links_never_follow_symbolic_links(root: Path) -> None:
    (root / "runbooks/core/img/secret.png").symlink_to("/etc/hostname")
    href, problems = problem(root, Link("img/secret.png", 9, 3, image=True))
    assert href is None
    assert [p.message for p in problems] == [
        "broken link 'img/secret.png': runbooks/core/img/secret.png is a symbolic link; "
        "the site does not follow links"]
