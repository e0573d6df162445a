"""Load a whole ops repo: parse, schema-check and build every document.

One broken file never hides the diagnostics of the others: each phase works
per document and collects failures as values.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from opsrepo import model as m
from opsrepo import schemas
from opsrepo.errors import Diagnostic, Location, UsageError
from opsrepo.load import alertfiles, build, salvage
from opsrepo.load.files import ORG_FILE, Document, classify, discover, parse_document, read_document
from opsrepo.records import dataclass
from opsrepo.workers import available_cpus, gc_paused, in_two, may_fork

T = TypeVar("T")


@dataclass
class Loaded:
    """A loaded repo, the documents it came from, and every load diagnostic."""

    root: Path
    repo: m.Repo
    documents: list[Document]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def find_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding ``opsrepo.yaml``."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / ORG_FILE).is_file():
            return candidate
    raise UsageError(
        f"no {ORG_FILE} in {start} or any parent directory",
        "run opsrepo inside an ops repo, pass --repo DIR, or create one with 'opsrepo init DIR'",
    )


def load_repo(root: Path, *, kinds: Collection[str] | None = None,
              schedules: Collection[str] | None = None, cache: Path | None = None) -> Loaded:
    """Read every file below ``root`` into a :class:`Loaded`.

    ``kinds`` keeps only those document kinds (``org`` is always read; ``alerts``
    names the Prometheus rule files); ``schedules`` keeps only the schedule
    files named ``<id>.yaml`` for those ids. A partial load answers questions
    quickly (see also :mod:`opsrepo.load.partial`); only a whole load
    validates the repo. With ``cache``, files unchanged since they were kept
    there are not read again (:mod:`opsrepo.load.cache`).
    """
    check_root(root)
    kept = None if kinds is None else {*kinds, "org"}
    return load_found(root, [(kind, path) for kind, path in discover(root, kept)
                             if (kept is None or kind in kept)
                             and (schedules is None or kind != "schedule" or path.stem in schedules)],
                      alerts=kept is None or "alerts" in kept, cache=cache)


def check_root(root: Path) -> None:
    """Raise a :class:`UsageError` unless ``root`` holds ``opsrepo.yaml``."""
    if not (root / ORG_FILE).is_file():
        raise UsageError(f"{root} has no {ORG_FILE}", "pass the root of an ops repo with --repo")


def load_found(root: Path, found: list[tuple[str, Path]], *, alerts: bool = False,
               cache: Path | None = None) -> Loaded:
    """Read, check and assemble exactly the files ``found``, (kind, path) as :func:`discover` yields them.

    With ``alerts``, also the Prometheus rule files the org's ``alerts.paths``
    names (the org file must then be among ``found``).
    """
    with gc_paused():
        if cache is None:
            parsed = _read_all(root, found)
        else:
            from opsrepo.load import cache as kept  # pickle: the commands that keep files import it

            parsed = kept.read_all(root, found, cache, _read_all)
        rule_files: list[str] = []
        if alerts:
            org = next((d.data for d, _ in parsed if d is not None and d.kind == "org"), None)
            for _, path in alertfiles.find(root, alertfiles.configured_paths(org)[0]):
                rule_files.append(path.relative_to(root).as_posix())
                parsed += [_checked(entry) for entry in alertfiles.read_rule_file(root, path)]
        return _load(root, parsed, frozenset(rule_files))


#: from this many files on, two processes parse and schema-check in parallel: a fork costs CPU (the
#: child's start, its results pickled and unpickled, two processes slowing each other on shared
#: cores), about a tenth of the phase, for a third less wall time; below 12000 files (an org of 4000
#: schedules, ~9,300 files on the realistic profile) reading takes under two seconds and is left to
#: one process (was 3000: CPU is what counts)
PARALLEL_THRESHOLD = 12000


def _read_all(root: Path, found: list[tuple[str, Path]]) -> list[tuple[Document | None, list[Diagnostic]]]:
    """Read, parse and schema-check every file; for large repos, half of them in a forked process.

    Only plain data and text cross the process boundary (source maps are built
    lazily), and only for the child's half: this process reads the other half
    meanwhile, so the second core is nearly a free win. Fork is used only where
    it is safe: Linux, and no other thread running in this process.
    """
    if len(found) < PARALLEL_THRESHOLD or available_cpus() < 2 or not may_fork():
        return _read_chunk(root, found)
    # dealt in turn, so both processes get the same mix of large files (teams) and small ones
    return in_two(lambda chunk: _read_chunk(root, chunk), found)


def _read_chunk(root: Path, found: list[tuple[str, Path]]) -> list[tuple[Document | None, list[Diagnostic]]]:
    results = []
    real_dirs: dict[str, bool] = {}
    for kind, path in found:
        results.append(_checked(read_document(root, kind, path, real_dirs)))
    return results


def load_files(root: Path, files: Mapping[str, bytes]) -> Loaded:
    """Load a repo from file contents keyed by repo-relative posix path (e.g. a git tree).

    Files the org's ``alerts.paths`` matches are read as Prometheus rule files.

    ``root`` is only recorded (for display and history); nothing is read from it.
    """
    kinds = {relative: classify(relative) for relative in sorted(files)}
    with gc_paused():
        parsed = [_checked(parse_document(relative, kind, files[relative]))
                  for relative, kind in kinds.items() if kind]
        org = next((d.data for d, _ in parsed if d is not None and d.kind == "org"), None)
        patterns = alertfiles.configured_paths(org)[0]
        rule_files = [relative for relative, kind in kinds.items()
                      if kind is None and alertfiles.is_rule_file(relative, patterns)]
        for relative in rule_files:
            parsed += [_checked(entry) for entry in alertfiles.parse_rule_file(relative, files[relative])]
        return _load(root, parsed, frozenset(rule_files))


def _checked(parsed: tuple[Document | None, list[Diagnostic]]) -> tuple[Document | None, list[Diagnostic]]:
    """Schema-check a parsed document; the paths at fault go on the document, for :mod:`salvage`."""
    document, problems = parsed
    if document is None:
        return parsed
    found, condemned = schemas.check(document)
    if problems or found:
        document.condemned = [*document.unreadable, *condemned]
    return document, [*problems, *found]


def _load(root: Path, parsed: Iterable[tuple[Document | None, list[Diagnostic]]],
          rule_files: frozenset[str] = frozenset()) -> Loaded:
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []
    broken: Broken = {}
    pruned: dict[str, salvage.Pruned] = {}
    for document, problems in parsed:
        diagnostics.extend(problems)
        if not problems and document is not None:
            documents.append(document)
            continue
        kept = salvage.prune(document, set(document.condemned)) if document is not None else None
        if problems and problems[0].file in rule_files:
            _lost_alerts(broken, document, kept, problems)
        if kept is None:
            _add_broken(broken, _broken_ids(problems, document), problems, document)
            continue
        pruned[kept.document.path] = kept
        documents.append(kept.document)
        broken.update(dict.fromkeys(salvage.lost(kept)))
    assembler = _Assembler(documents, broken, pruned, diagnostics, tuple(sorted(rule_files)))
    repo = assembler.assemble()
    diagnostics.extend(assembler.diagnostics)
    return Loaded(root, repo, documents, diagnostics)


#: ids (by kind) that may be defined by what failed to load: with the problem that lost the whole
#: file, or None for an entry of a file that loaded without it (the id is defined, the entry invalid)
Broken = dict[tuple[str, str], Diagnostic | None]


def _add_broken(broken: Broken, ids: Iterable[tuple[str, str]], problems: list[Diagnostic],
                document: Document | None) -> None:
    """Record what a file that could not be built may define.

    Ids its data spells out are defined (the file's own problems say what is
    wrong), so references to them are fine; ids only guessed from the file's
    name get the file's first problem as their cause. A runbook or
    post-mortem is a page: a link or reference to one whose file did not load
    leads nowhere, so its ids always get the cause.
    """
    cause = min(problems)
    readable = _readable_ids(document) if classify(cause.file) not in _PAGES else set()
    for key in ids:
        broken.setdefault(key, None if key in readable else cause)


#: kinds whose files are pages of the site
_PAGES = frozenset({"runbook", "postmortem"})


def _readable_ids(document: Document | None) -> set[tuple[str, str]]:
    if document is None or not isinstance(document.data, dict):
        return set()
    found = set()
    if document.kind == "team":
        found = {key for key in _team_contents(document.data) if key[1] != "*"}
    ident = document.data.get("id")
    if isinstance(ident, str) and ("id",) not in document.condemned:
        found.add((document.kind, ident))
    return found


def _broken_ids(problems: list[Diagnostic], document: Document | None) -> set[tuple[str, str]]:
    """What a failed file may have defined: its id, and a team's people, services and alerts."""
    relative = document.path if document is not None else problems[0].file
    kind = classify(relative) or "unknown"
    found = {(kind, _guess_id(kind, relative, document)), (kind, PurePosixPath(relative).stem)}
    if kind == "team":
        found |= _team_contents(document.data if document is not None else None)
    elif kind == "severity":
        found.add(("severity", "*"))
    return found


def _lost_alerts(broken: Broken, document: Document | None, kept: salvage.Pruned | None,
                 problems: list[Diagnostic]) -> None:
    """The alert names a rule document with problems may define but its loaded copy lacks.

    A name its data spells out is defined (its own problems are reported); a
    document that could not be read may define any name, and references to
    alerts then name its first problem as their cause.
    """
    if all(problem.code == "OPS007" for problem in problems):
        return  # an empty file or document defines nothing
    if document is None or (kept is None and not isinstance(document.data, dict)):
        broken.setdefault(("rule-alert", "*"), min(problems))
        return
    names = alertfiles.alert_names(document)
    if kept is not None:
        names -= alertfiles.alert_names(kept.document) - {"*"}
    for name in names:
        broken.setdefault(("rule-alert", name), min(problems) if name == "*" else None)


def _team_contents(data: Any) -> set[tuple[str, str]]:
    if not isinstance(data, dict):
        return {("person", "*"), ("service", "*"), ("alert", "*")}
    found: set[tuple[str, str]] = set()
    for kind, key in (("person", "people"), ("service", "services")):
        entries = data.get(key)
        if not isinstance(entries, list):
            found.add((kind, "*"))
            continue
        for entry in entries:
            ident = entry.get("id") if isinstance(entry, dict) else None
            found.add((kind, ident if isinstance(ident, str) else "*"))
            alerts = entry.get("alerts") if isinstance(entry, dict) and kind == "service" else None
            if isinstance(alerts, list):
                found |= {("alert", a["id"]) if isinstance(a, dict) and isinstance(a.get("id"), str)
                          else ("alert", "*") for a in alerts}
    return found


def _guess_id(kind: str, relative: str, document: Document | None) -> str:
    if kind == "runbook":
        return build.runbook_id(relative)
    data = document.data if document is not None else None
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return str(data["id"])
    return PurePosixPath(relative).stem


class _Assembler:
    """Builds model records from schema-valid documents, collecting value errors."""

    def __init__(self, documents: list[Document], broken: Broken, pruned: dict[str, salvage.Pruned],
                 problems: list[Diagnostic], rule_files: tuple[str, ...] = ()) -> None:
        self.documents = documents
        self.rule_files = rule_files
        self.broken = broken
        #: files built from a pruned copy: path -> the pruning
        self.pruned = pruned
        self.problems = problems
        self.diagnostics: list[Diagnostic] = []

    def of_kind(self, kind: str) -> list[Document]:
        return [d for d in self.documents if d.kind == kind]

    def attempt(self, document: Document, make: Callable[[Document], T]) -> T | None:
        """Build one record; a value the schemas cannot judge (a zone, a date) is reported and left out."""
        for _ in range(salvage.MAX_ROUNDS):
            try:
                return make(document)
            except build._Invalid as exc:
                self.diagnostics.append(exc.diagnostic)
                kept = self._prune_more(document, exc.path)
                if kept is None:
                    problems = [*self._problems_of(document.path), *self.diagnostics]
                    _add_broken(self.broken, _broken_ids([exc.diagnostic], document),
                                [d for d in problems if d.file == document.path], document)
                    return None
                document = kept.document
        return None

    def _prune_more(self, document: Document, path: tuple[str | int, ...]) -> salvage.Pruned | None:
        earlier = self.pruned.get(document.path)
        kept = earlier.condemn(path) if earlier is not None else salvage.prune(document, {path})
        if kept is None:
            return None
        self.pruned[document.path] = kept
        self.documents[self.documents.index(document)] = kept.document
        for key in salvage.lost(kept):
            self.broken.setdefault(key, None)
        return kept

    def _problems_of(self, file: str) -> list[Diagnostic]:
        return [d for d in self.problems if d.file == file]

    def unique(self, kind: str, records: Iterable[Any], what: str) -> dict[str, Any]:
        by_id: dict[str, Any] = {}
        for record in records:
            first = by_id.get(record.id)
            if first is None:
                by_id[record.id] = record
                continue
            where: Location = record.src.at("id")
            self.diagnostics.append(where.error(
                "OPS202", f"{what} id '{record.id}' is already used in {first.src.file}"
                f" (line {first.src.at('id').line})", f"give this {what} another id",
            ))
        return by_id

    def assemble(self) -> m.Repo:
        orgs = self.of_kind("org")
        org = self.attempt(orgs[0], build.build_org) if orgs else None
        org = org or build.build_org(None)
        teams, people, services = [], [], []
        for document in self.of_kind("team"):
            built = self.attempt(document, build.build_team)
            if built:
                teams.append(built[0])
                people.extend(built[1])
                services.extend(built[2])
        severity_docs = self.of_kind("severity")
        severities = (self.attempt(severity_docs[0], build.build_severities) if severity_docs else None) or ()
        alerts = [alert for service in services for alert in service.alerts]
        return m.Repo(
            org=org,
            teams=self.unique("team", teams, "team"),
            people=self.unique("person", people, "person"),
            services=self.unique("service", services, "service"),
            alerts=self.unique("alert", alerts, "alert"),
            schedules=self.unique("schedule", self.each("schedule", lambda d: build.build_schedule(d, org)),
                                  "schedule"),
            severities=severities,
            policies=self.unique("escalation", self.each("escalation", build.build_policy), "policy"),
            runbooks={r.id: r for r in self.each("runbook", build.build_runbook)},
            postmortems=self.unique("postmortem", self.each("postmortem", build.build_postmortem),
                                    "post-mortem"),
            broken=dict(self.broken),
            partial=frozenset(self.pruned),
            has_severity_matrix=bool(severity_docs) or ("severity", "severity") in self.broken,
            alert_rules=self.alert_rules(),
            rule_files=self.rule_files,
        )

    def alert_rules(self) -> tuple[m.AlertRule, ...]:
        """The rules of every rule file, in file order."""
        documents = [d for d in self.documents if d.kind in alertfiles.KINDS]
        built = (self.attempt(document, build.build_alert_rules) for document in documents)
        return tuple(rule for rules in built if rules for rule in rules)

    def each(self, kind: str, make: Callable[[Document], T]) -> list[T]:
        built = (self.attempt(document, make) for document in self.of_kind(kind))
        return [record for record in built if record is not None]
