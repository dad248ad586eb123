"""Adapters that put the whoswho core into chat platforms and the terminal."""
