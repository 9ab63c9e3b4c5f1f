"""Who is using the portal: role and jurisdiction scope, kept in the Streamlit session."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from portal.glossary import ROLES


@dataclass(frozen=True)
class Identity:
    name: str
    role: str
    scope: str  # jurisdiction: '' for the whole city, else a district/street code prefix
    can_unmask: bool = False  # may show full names, ID numbers and phones (each use is audited)

    @property
    def role_label(self) -> str:
        return ROLES[self.role]


def current() -> Identity | None:
    ident = st.session_state.get("identity")
    return ident if isinstance(ident, Identity) else None


def sign_in(identity: Identity) -> None:
    if identity.role not in ROLES:
        raise ValueError(f"unknown role {identity.role!r}")
    if identity.role == "district_operator" and len(identity.scope) not in (6, 9):
        raise ValueError("a district operator needs a district or street code")
    st.session_state["identity"] = identity


def sign_out() -> None:
    st.session_state.pop("identity", None)
