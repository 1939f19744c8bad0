"""The privacy text's version: sign-up stores the version a person agreed to."""

PRIVACY_VERSION = "2026-11"
