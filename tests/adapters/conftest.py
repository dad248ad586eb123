"""Fixtures every adapter test may use: the test backend over the shared turn loop."""

from tests.backend import testbot

__all__ = ["testbot"]
