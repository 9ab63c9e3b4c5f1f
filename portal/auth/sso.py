"""Single sign-on through Streamlit's OpenID Connect login (st.login / st.user), when the
deployment configures an `[auth]` section in .streamlit/secrets.toml.

The provider only vouches for who someone is; users.for_single_sign_on maps them to a portal
user, whose role and scope come from the user store.
"""

from __future__ import annotations

import streamlit as st


def single_sign_on_configured() -> bool:
    try:
        return bool(st.secrets.load_if_toml_exists() and st.secrets.get("auth"))
    except Exception:  # an unreadable secrets file: no single sign-on, password sign-in still works
        return False


def claims_of_signed_in_user() -> dict | None:
    """The identity provider's claims for this browser, or None when not signed in there."""
    if not getattr(st.user, "is_logged_in", False):
        return None
    return st.user.to_dict()


def sign_out_of_provider() -> None:
    if single_sign_on_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()
