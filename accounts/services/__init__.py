"""Every write of the accounts app. Other apps import from here, never from the submodules."""

from accounts.services.claim import claim_link_read, user_claim_confirm, user_claim_with_email
from accounts.services.deletion import (
    user_deletion_schedule,
    user_erase,
    user_erase_due,
    user_restore_on_sign_in,
    user_restore_with_code,
)
from accounts.services.devices import (
    device_create,
    device_revoke,
    device_token_new,
    devices_revoke_all,
    user_anonymous_create,
)
from accounts.services.exports import (
    data_export_build,
    data_export_request,
    data_exports_remove_expired,
)
from accounts.services.profile import user_profile_update, user_sync_enable
from accounts.services.sync_codes import (
    sync_code_claim,
    sync_code_create,
    sync_code_owner,
    sync_code_redeem,
    sync_codes_remove_expired,
)

__all__ = [
    "claim_link_read",
    "data_export_build",
    "data_export_request",
    "data_exports_remove_expired",
    "device_create",
    "device_revoke",
    "device_token_new",
    "devices_revoke_all",
    "sync_code_claim",
    "sync_code_create",
    "sync_code_owner",
    "sync_code_redeem",
    "sync_codes_remove_expired",
    "user_anonymous_create",
    "user_claim_confirm",
    "user_claim_with_email",
    "user_deletion_schedule",
    "user_erase",
    "user_erase_due",
    "user_profile_update",
    "user_restore_on_sign_in",
    "user_restore_with_code",
    "user_sync_enable",
]
