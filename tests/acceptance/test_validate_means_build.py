"""If ``opsrepo validate`` passes, ``opsrepo build`` builds: a property over generated repos.

Each example starts from the minimal fixture repo and puts generated text
where authors write it (names, descriptions, titles, runbook file names and
bodies with links and images to files that may or may not be publishable).
Whatever validation says, a repo it accepts must render its calendars and
site with no broken link, no unwritable page and no exception.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsrepo.build import build
from opsrepo.validate import validate_repo
from tests.helpers import MINIMAL, NOW, copy_repo

#: any text an author may type, newlines, quotes, markup and control characters included
TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=24)
#: characters a file name may hold on Linux (no "/" and no NUL), the awkward ones more often
NAME_CHARS = st.sampled_from("abcxyz019-_. %#?&'\"<>()[]é日\n\t") | st.characters(
    exclude_categories=("Cs",), exclude_characters="/\x00")
SEGMENT = st.text(NAME_CHARS, min_size=1, max_size=20).filter(lambda s: s not in (".", "..")) \
    | st.sampled_from(["x.html", "api-errors.html", "core", "b" * 250])
#: repo files a link may point at, beside the runbook
FILES = {
    "notes.txt": b"notes\n",
    "pic.png": b"PNG",
    "pic.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    "pic.PNG": b"PNG",
    "folder/pic.gif": b"GIF",
}
#: links the site can render (mostly), links it cannot, and anything at all
GOOD = st.sampled_from([
    "pic.png", "pic.PNG", "folder/pic.gif", "api-errors.md", "api-errors.md#api-errors", "#anything",
    "service:api", "person:ana", "schedule:core-primary", "severity:SEV1", "alert:api-5xx",
    "https://example.com/x", "mailto:a@example.com", "//example.com/x", "pic.png?x=1", "pic.png#top",
    "../../postmortems/2026-10-01-api-outage.md", "/runbooks/core/api-errors.md",
])
BAD = st.sampled_from([
    "notes.txt", "folder/", "pic.svg", "missing.png", "other.md", "other.md%0A", "../../opsrepo.yaml",
    "javascript:alert(1)", "%2e%2e/%2e%2e/etc/passwd", "data:text/html,x", "pic%20.png", "pic.png%0A",
])
HREF = GOOD | GOOD | GOOD | BAD | st.text(NAME_CHARS, min_size=1, max_size=12)


@st.composite
def repos(draw: st.DrawFn) -> dict[str, Any]:
    """Files to overlay on the minimal repo (text, or bytes for the linked files)."""
    links = draw(st.lists(st.tuples(st.booleans(), TEXT, HREF), max_size=5))
    body = "\n\n".join(f"{'!' if image else ''}[{_label(text)}]({href})" for image, text, href in links)
    headings = "\n\n".join(f"## {_label(text)}" for text in draw(st.lists(TEXT, max_size=3)))
    folder = "/".join(draw(st.lists(SEGMENT, min_size=0, max_size=2)))
    name = draw(SEGMENT)
    runbook = f"runbooks/{folder + '/' if folder else ''}{name}.md"
    front = {"title": draw(TEXT), "team": "core", "services": ["api"], "tags": draw(st.lists(TEXT, max_size=2))}
    team = yaml.safe_load((MINIMAL / "teams/core.yaml").read_text(encoding="utf-8"))
    for person in team["people"]:
        person["name"] = draw(TEXT)
    team["services"][0]["description"] = draw(TEXT)
    schedule = yaml.safe_load((MINIMAL / "schedules/core-primary.yaml").read_text(encoding="utf-8"))
    schedule["name"], schedule["description"] = draw(TEXT), draw(TEXT)
    schedule["layers"][0]["name"] = draw(TEXT)
    org = yaml.safe_load((MINIMAL / "opsrepo.yaml").read_text(encoding="utf-8"))
    if draw(st.booleans()):
        org["site"]["repo_url"] = "https://github.com/example/ops"  # then links to other files go there
    files: dict[str, Any] = {
        "opsrepo.yaml": yaml.safe_dump(org),
        runbook: f"---\n{yaml.safe_dump(front)}---\n# {_label(draw(TEXT))}\n\n{headings}\n\n{body}\n",
        "teams/core.yaml": yaml.safe_dump(team),
        "schedules/core-primary.yaml": yaml.safe_dump(schedule),
    }
    base = runbook.rpartition("/")[0]
    for relative, content in FILES.items():
        files[f"{base}/{relative}"] = content
    return files


def _label(text: str) -> str:
    return text.replace("\n", " ").replace("[", "(").replace("]", ")")


def _write(root: Path, files: dict[str, Any]) -> bool:
    """Write the files; False when the file system refuses a generated name."""
    for relative, content in files.items():
        path = root / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        except OSError:
            return False
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                   HealthCheck.function_scoped_fixture])
@given(files=repos())
def test_a_repo_that_validates_builds(files: dict[str, Any], tmp_path_factory: Any) -> None:
    tmp = tmp_path_factory.mktemp("repo")
    root = copy_repo(MINIMAL, tmp / "repo")
    if not _write(root, files):
        return
    if not validate_repo(root, NOW).ok:
        return
    result = build(root, tmp / "site", NOW, search=False)
    assert result.site is not None
    assert [(p.code, p.file, p.line, p.message) for p in result.site.problems] == []
    assert result.ok
