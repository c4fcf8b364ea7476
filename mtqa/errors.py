"""Errors that reach the user as one line and exit code 2."""


class MtqaError(Exception):
    """Any error caused by the user's input or settings (exit code 2).

    The message is shown as one line on stderr, prefixed with ``mtqa: error:``.
    """

    exit_code = 2


class InputError(MtqaError):
    """A file that cannot be read, decoded or parsed."""


class ConfigError(MtqaError):
    """A bad setting, option, rule file or glossary row."""


class ModelError(MtqaError):
    """A model (embedder, COMET) that is missing or cannot be loaded."""


class ClusterError(MtqaError):
    """A Dask cluster that cannot be reached, has no workers, or runs another mtqa or other rules."""
