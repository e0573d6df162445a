"""Realistic runbook text for the generated org: prose, identifiers, hostnames, metrics, commands.

A runbook written by an on-call engineer mixes plain English with words no
dictionary has: its service's identifier (``ledger-writer``), the hosts it
runs on (``db-eu-3.kestrel.internal``), metric names
(``http_requests_total``), and shell commands (``kubectl``, ``psql``). The
search index's cost follows its vocabulary, so the generator's runbooks carry
all of these, the identifiers growing with the org as they would in a real
one. Every choice comes from the ``random.Random`` it is given: the text is
the same for the same seed.
"""

from __future__ import annotations

import random

#: a few hundred common English words, the prose's vocabulary
PROSE = """
a about above after again against all almost alone already also always among an and another any
anyone anything are around as ask at available away back be because become been before begin
behind being below best better between both bring build but by call can careful case cause change
check clear close come common complete could current customer data day decide different do does
done down during each early either else empty end enough error even every example expect fail
fall far fast few find first follow for found from full get give go good graph great group half
happen hard have help here high hold hour how if important in instead into is it its just keep
kind know large last late later lead least leave less let level like likely limit line little
long look low main make many may mean might minute more most move much must need never new next
no normal not note now number of off often old on once one only open or order other our out over
own page part pass past people per place plan point possible press problem quick quickly rather
reach read ready real reason recent record region remain remove report request result return
right room run safe same second see seem send set several should show side since single slow
small so some something soon start state step still stop such sure take team tell than that the
their them then there these they thing think this those though through time to today together
too top traffic try turn under until up upon us use usual value very wait want was watch way we
well were what when where whether which while who whole why will with within without work would
write wrong year yet you your
""".split()
#: words of the trade, as common in runbooks as the prose
TRADE = """
alert alertmanager backlog backup bastion breaker cache canary certificate cluster config
connection consumer container cpu cron dashboard database deadlock deploy deployment disk dns
drain endpoint etcd eviction failover firewall gateway grafana handshake heap helm incident ingress
kafka latency lease leader lock log memory migration mutex namespace node oom outage packet
pagerduty partition pod pool postgres primary probe prometheus proxy queue quota rate rebalance
redis region replica replication restart retry rollback rollout runbook saturation scheduler
secret shard snapshot socket ssl storage subnet throttle timeout tls token upstream vacuum vault
volume webhook worker
""".split()
#: parts of service identifiers
NOUNS = """
account api auth billing cart catalog checkout config email event export feed fraud gateway
identity image import index inventory invoice ledger login media notify order payment pricing
profile push quote ranking report search session shipping stock tax token upload user wallet
""".split()
ROLES = "api worker writer reader sync router cron store proxy indexer scheduler consumer".split()
REGIONS = "eu us ap sa".split()
HOST_KINDS = "db cache mq web app lb kafka redis es".split()
DOMAINS = "kestrel internal corp prod svc".split()
METRIC_UNITS = "total seconds bytes count ratio".split()
METRIC_THINGS = """
requests errors retries connections queries rows messages jobs lag evictions hits misses
timeouts restarts failures writes reads drops
""".split()
COMMANDS = (
    "kubectl -n {ns} get pods -l app={service} | grep -v Running",
    "kubectl -n {ns} rollout restart deployment/{service}",
    "kubectl -n {ns} logs deploy/{service} --since=15m | grep -i {word}",
    "kubectl -n {ns} describe pod {service}-{pod}",
    "psql -h {host} -U {user} -c 'select count(*) from pg_stat_activity'",
    "psql -h {host} -U {user} -c \"select pg_cancel_backend(pid) from pg_stat_activity"
    " where state = 'idle'\"",
    "curl -s http://{host}:9090/metrics | grep {metric}",
    "redis-cli -h {host} info memory",
    "dig +short {host}",
    "ssh {host} 'df -h /var/lib'",
)
SECTIONS = ("Symptoms", "Impact", "Diagnosis", "Mitigation", "Escalation", "Follow-up")


def service_name(rng: random.Random) -> str:
    """A service identifier such as ``ledger-writer`` (sometimes with a version: ``quote-api-v2``)."""
    name = f"{rng.choice(NOUNS)}-{rng.choice(ROLES)}"
    return name if rng.random() < 0.8 else f"{name}-v{rng.randint(2, 4)}"


def hostname(rng: random.Random, service: str) -> str:
    """A host such as ``db-eu-3.kestrel.internal`` or ``ledger-writer-7.prod.svc``."""
    if rng.random() < 0.5:
        return f"{rng.choice(HOST_KINDS)}-{rng.choice(REGIONS)}-{rng.randint(1, 40)}.kestrel.internal"
    return f"{service}-{rng.randint(1, 99)}.{rng.choice(DOMAINS)}.{rng.choice(DOMAINS)}"


def metric(rng: random.Random, service: str) -> str:
    """A Prometheus metric name such as ``http_requests_total`` or ``ledger_writer_lag_seconds``."""
    prefix = rng.choice(("http", "grpc", "db", "queue", service.replace("-", "_")))
    return f"{prefix}_{rng.choice(METRIC_THINGS)}_{rng.choice(METRIC_UNITS)}"


def sentence(rng: random.Random, terms: list[str]) -> str:
    """A sentence of prose and trade words with, now and then, one of ``terms`` in backticks."""
    words = []
    for _ in range(rng.randint(8, 22)):
        roll = rng.random()
        if roll < 0.08 and terms:
            words.append(f"`{rng.choice(terms)}`")
        elif roll < 0.3:
            words.append(rng.choice(TRADE))
        else:
            words.append(rng.choice(PROSE))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice((".", ".", ".", "?", ":"))


def runbook_body(index: int, team: int, rng: random.Random) -> str:
    """About 4 KB of Markdown: sections of prose naming the runbook's hosts and metrics, and commands."""
    service = service_name(rng)
    hosts = [hostname(rng, service) for _ in range(rng.randint(2, 5))]
    metrics = [metric(rng, service) for _ in range(rng.randint(2, 4))]
    terms = [service, *hosts, *metrics, f"team-{team}", f"INC-{rng.randint(1000, 9999)}"]
    namespace = rng.choice(("prod", "payments", "platform", "edge", "data"))
    parts = [f"# {service}: runbook {index}\n"]
    for section in SECTIONS:
        paragraph = " ".join(sentence(rng, terms) for _ in range(rng.randint(3, 6)))
        parts.append(f"## {section}\n\n{paragraph}\n")
        if section in ("Diagnosis", "Mitigation"):
            commands = rng.sample(COMMANDS, 2)
            lines = [command.format(ns=namespace, service=service, word=rng.choice(TRADE),
                                    pod=f"{rng.randrange(16**5):05x}", host=rng.choice(hosts),
                                    user=service.split("-")[0], metric=rng.choice(metrics))
                     for command in commands]
            parts.append("```bash\n" + "\n".join(lines) + "\n```\n")
        if section == "Symptoms":
            parts.append("\n".join(f"- `{name}` above its usual level" for name in metrics) + "\n")
    return "\n".join(parts)
