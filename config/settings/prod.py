"""Production: everything from the environment; refuses to start without a SECRET_KEY."""

from .base import *  # noqa: F403

DEBUG = False
