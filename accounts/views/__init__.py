"""Web pages for the account: linking a browser and its onboarding, devices, privacy, export,
claim and deletion."""

from accounts.views.link import link_browser, link_ready, link_welcome
from accounts.views.pages import (
    claim,
    claim_confirm,
    delete_account,
    device_revoke,
    devices,
    export_start,
    export_status_view,
    privacy,
    sync_code_create,
)

__all__ = [
    "claim",
    "claim_confirm",
    "delete_account",
    "device_revoke",
    "devices",
    "export_start",
    "export_status_view",
    "link_browser",
    "link_ready",
    "link_welcome",
    "privacy",
    "sync_code_create",
]
