"""Running Pagefind: one index of given pages into a folder, and its bundle's script for merged shards.

The PyPI package carries Pagefind's binary. Each index is made in a
temporary folder and renamed into place, so a crash never leaves half of
one where the listing (:mod:`opsrepo.site.search`) names it.
"""

from __future__ import annotations

import importlib
import os
import re
import secrets
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from opsrepo.errors import OpsrepoError
from opsrepo.workers import available_cpus

#: Pagefind must finish an index within this
TIMEOUT_SECONDS = 600
#: files of Pagefind's bundle the site never loads (it has its own search page)
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
           "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
#: files of the bundle only the first shard's are loaded (the script, its worker, the WebAssembly)
_RUNTIME = re.compile(r"pagefind\.js|pagefind-worker\.js|wasm\.[\w-]+\.pagefind")
#: the patch of Pagefind's script (1.5) that lets the browser see the words each result matched:
#: playground mode for every merged index, not only the first, and the call on an instance
_PATCHES = (
    ("async enterPlaygroundMode(){await this.primary.enterPlaygroundMode();}",
     "async enterPlaygroundMode(){await Promise.all(this.instances.map((i)=>i.enterPlaygroundMode()));}",
     ("pagefind.js", "pagefind-worker.js")),
    ("filters:()=>wrapper.filters()};",
     "filters:()=>wrapper.filters(),enterPlaygroundMode:()=>wrapper.enterPlaygroundMode()};",
     ("pagefind.js",)),
)
HINT = "reinstall opsrepo (pip install 'pagefind[bin]'), or build with --no-search"

#: temporary folders this module makes in the output folder (a crashed build may leave some)
TEMPORARY = (".pagefind-", ".pages-", ".shard-")


def index_shards(out: Path, folder: Path, shards: dict[int, list[str]],
                 empty: bool = False) -> dict[int, str]:
    """Index each shard's pages (paths in the site ``out``) into a new folder of ``folder``; names by shard.

    A shard without pages gets no folder, unless ``empty`` (an index of an empty
    page, for a site without searched pages). Shards are indexed side by side,
    one Pagefind process per CPU.
    """
    folder.mkdir(exist_ok=True)

    def one(shard: int) -> tuple[int, str]:
        name = f"{shard}-{secrets.token_hex(4)}"
        new = new_folder(folder, ".shard-")
        try:
            index_pages(out, shards[shard], new)
            new.rename(folder / name)
        finally:
            shutil.rmtree(new, ignore_errors=True)
        return shard, name

    wanted = [shard for shard, pages in shards.items() if pages or empty]
    with ThreadPoolExecutor(max(1, min(available_cpus(), len(wanted)))) as pool:
        return dict(pool.map(one, wanted))


def runtime(folder: Path, names: list[str], previous: list[str]) -> None:
    """Leave Pagefind's script, worker and WebAssembly in the first listed shard only, patched.

    The first shard has them from Pagefind when it was just made, else from the
    one made now or from the previous first (its folder is removed after this).
    """
    if not names:
        return
    first = folder / names[0]
    if not (first / "pagefind.js").is_file():
        having = [folder / name for name in [*names, *previous] if (folder / name / "pagefind.js").is_file()]
        source = having[0] if having else None
        if source is None:
            raise OpsrepoError("the search index lost Pagefind's script: build with a clean output folder",
                               HINT)
        for path in source.iterdir():
            if path.is_file() and _RUNTIME.fullmatch(path.name):
                shutil.copyfile(path, first / path.name)
    patch(first)
    for name in names[1:]:
        for path in (folder / name).iterdir():
            if path.is_file() and _RUNTIME.fullmatch(path.name):
                path.unlink()


def patch(bundle: Path) -> None:
    """Patch Pagefind's script in ``bundle`` so that merged indexes tell the words each result matched.

    The browser needs those words to drop the pages a shard finds by a
    shorter word (see :mod:`opsrepo.site.search`); Pagefind gives them in its
    playground mode, which its script turns on for the first index only and
    does not offer on an instance. A script already patched is left as it is.
    """
    for old, new, files in _PATCHES:
        for name in files:
            path = bundle / name
            text = path.read_text(encoding="utf-8")
            if new in text:
                continue
            if text.count(old) != 1:
                raise OpsrepoError(f"this Pagefind's script ({path.name}) is not the one opsrepo knows how "
                                   "to merge shards with", "install the Pagefind version opsrepo names "
                                   "(pip install 'pagefind[bin]>=1.5,<1.6'), or build with --no-search")
            path.write_text(text.replace(old, new), encoding="utf-8")


def remove_temporary(out: Path, folder: Path) -> None:
    """Remove the folders a crashed build left in the site at ``out`` and its index's ``folder``."""
    for parent in (out, folder):
        if parent.is_dir():
            for path in parent.iterdir():
                if path.name.startswith(TEMPORARY) and path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)


def new_folder(parent: Path, prefix: str) -> Path:
    """A new empty folder in ``parent``, its name ``prefix`` and random hex, made as the site's other folders.

    Not :func:`tempfile.mkdtemp`, whose folders only their owner may read: each shard is
    such a folder renamed, and a web server must read it. This one has the mode the umask
    gives every folder the build makes (0755 under the usual 022).
    """
    while True:
        folder = parent / f"{prefix}{secrets.token_hex(6)}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder


def index_pages(out: Path, pages: list[str], bundle: Path) -> None:
    """One Pagefind run over hard links to ``pages``, writing ``bundle`` (an empty page when there is none).

    Links rather than a glob over the site: a shard's pages share no folder,
    and Pagefind reads every HTML file it is given.
    """
    tree = new_folder(out, ".pages-")
    try:
        for page in pages:
            link = tree / page
            link.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(out / page, link)
            except OSError:  # a file system without hard links
                shutil.copyfile(out / page, link)
        if not pages:
            (tree / "empty.html").write_text('<!doctype html><html lang="en"><body><main data-pagefind-body>'
                                             '</main></body></html>\n', encoding="utf-8")
        _run_pagefind(tree, bundle)
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    for name in _UNUSED:
        (bundle / name).unlink(missing_ok=True)


def _run_pagefind(site: Path, bundle: Path) -> None:
    command = [_executable(), "--site", str(site), "--output-path", str(bundle),
               "--keep-index-url", "--force-language", "en"]
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
                                  check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OpsrepoError(f"the search indexer (Pagefind) did not run: {exc}", HINT) from None
    if finished.returncode != 0:
        detail = (finished.stderr or finished.stdout).strip().splitlines()[-3:]
        raise OpsrepoError("the search indexer (Pagefind) failed: " + " / ".join(detail), HINT)


@cache
def _executable() -> str:
    """Pagefind's binary: the package's own, or one named by ``$PAGEFIND_BINARY_PATH`` or found on PATH.

    Run directly rather than through ``python -m pagefind``, which would
    start a second interpreter only to hand over to it. Looked for in the
    order of ``pagefind.service.get_executable``, without importing that
    module (it imports asyncio: 12 ms of a one-runbook rebuild).
    """
    found = os.environ.get("PAGEFIND_BINARY_PATH")
    if found is not None:
        return found
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        return str(module.get_executable())
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    if found is None:
        raise OpsrepoError("the search indexer (Pagefind) is not installed", HINT)
    return found
