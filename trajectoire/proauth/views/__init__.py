from .account import active_sessions, end_all_sessions, end_session, logout, setup, setup_code
from .card import card_login
from .ecps import ecps_callback, ecps_login
from .password import code, login, resend_code

__all__ = [
    "active_sessions",
    "card_login",
    "code",
    "ecps_callback",
    "ecps_login",
    "end_all_sessions",
    "end_session",
    "login",
    "logout",
    "resend_code",
    "setup",
    "setup_code",
]
