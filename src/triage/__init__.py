"""triage: clear a queue of lead replies with status and reason codes, from the keyboard."""

__version__ = "0.1.0"
