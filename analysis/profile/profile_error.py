"""ProfileError: bad input to the profiler or the testbed (unknown model, missing module path, shape mismatch, bad
number). The command-line tools print it as one line, ``<prog>: error: <message>``, and exit with code 2, as
popex-sim does for its own bad input (docs/errors.md). ``ArgumentParser`` is argparse made to do the same: a usage
error raises ProfileError instead of printing the usage. Library module; nothing to run.
"""
import argparse


class ProfileError(Exception):
    """A user error: the message names the option or item, the rule and the value."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error raises ProfileError (one line, exit code 2) instead of printing the usage."""

    def error(self, message):
        raise ProfileError(message)
