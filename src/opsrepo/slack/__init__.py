"""The only package that talks to Slack (through ``slack_sdk``).

``client``: calls, waits out Slack's rate limits, retries what may be
retried; ``sync``: user groups and channel topics made equal to a plan;
``state``: what a run remembers for the next (email -> Slack user, topics set).
"""
