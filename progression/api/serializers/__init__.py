"""Input and output shapes of the sync API (camelCase, written out field by field).

- `fields`: the strict fields every input reads with.
- `sync`: `POST /sync` (the documented serializer and the hot path's lean reader).
- `envelope`: `POST /sync/import`, the extension's export envelope.
- `inputs`: the invitation check and the stats series.
- `outputs`: the answers, for the schema.
"""

from progression.api.serializers.envelope import ImportInputSerializer
from progression.api.serializers.inputs import EligibilityInputSerializer, StatsInputSerializer
from progression.api.serializers.outputs import (
    EligibilityOutputSerializer,
    EnableOutputSerializer,
    StatsOutputSerializer,
    SyncOutputSerializer,
)
from progression.api.serializers.sync import (
    SyncInputSerializer,
    payload_from_validated,
    sync_payload_from,
)

__all__ = [
    "EligibilityInputSerializer",
    "EligibilityOutputSerializer",
    "EnableOutputSerializer",
    "ImportInputSerializer",
    "StatsInputSerializer",
    "StatsOutputSerializer",
    "SyncInputSerializer",
    "SyncOutputSerializer",
    "payload_from_validated",
    "sync_payload_from",
]
