"""The lean validator on the hot path reads every body exactly as SyncInputSerializer does.

The serializer is what the OpenAPI schema documents; `sync_payload_from` is what `/sync` runs.
If they ever drift, the documented contract and the served one differ: this keeps them one.
"""

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from progression.api.serializers import (
    SyncInputSerializer,
    payload_from_validated,
    sync_payload_from,
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=3000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(
        ["", "2026-11-20", "2026-02-30", "x" * 70, "boxing", "2026-11-20T08:00:00+01:00"]
    ),
)
junk = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)
counter = st.one_of(st.integers(min_value=0, max_value=500), junk)
day = st.fixed_dictionaries(
    {},
    optional={
        "date": st.one_of(st.sampled_from(["2026-11-18", "2026-11-20", "20-11-2026"]), junk),
        "xp": counter,
        "sessions": counter,
        "minutes": counter,
        "extra": junk,
    },
)
strings = st.lists(st.one_of(st.text(max_size=70), junk), max_size=4)
body = st.one_of(
    junk,
    st.fixed_dictionaries(
        {},
        optional={
            "days": st.one_of(st.lists(day, max_size=3), junk),
            "baseline": st.one_of(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "xp": counter,
                        "sessions": counter,
                        "minutes": counter,
                        "firstSeenDate": st.one_of(
                            st.sampled_from(["2025-08-20", "2025-02-30", "1999-01-01"]), junk
                        ),
                    },
                ),
                junk,
            ),
            "achievements": st.one_of(strings, junk),
            "patterns": strings,
            "presets": strings,
            "challenges": st.one_of(
                st.fixed_dictionaries({}, optional={"completed": strings}), junk
            ),
            "preferences": st.one_of(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "value": st.one_of(
                            st.dictionaries(st.text(max_size=3), scalars, max_size=2), junk
                        ),
                        "modifiedAt": st.one_of(
                            st.sampled_from(
                                ["2026-11-20T08:00:00+01:00", "2026-11-20T08:00:00", "soon"]
                            ),
                            junk,
                        ),
                    },
                ),
                junk,
            ),
        },
    ),
)


def plain(errors):
    return json.loads(json.dumps(errors, default=str))


def serializer_reading(data):
    serializer = SyncInputSerializer(data=data)
    if serializer.is_valid():
        return "ok", payload_from_validated(serializer.validated_data)
    return "invalid", plain(serializer.errors)


def lean_reading(data):
    try:
        return "ok", sync_payload_from(data)
    except serializers.ValidationError as error:
        return "invalid", plain(error.detail)


@settings(max_examples=1500, deadline=None)
@given(body)
def test_the_lean_validator_reads_every_body_as_the_documented_serializer(data):
    assert lean_reading(data) == serializer_reading(data)
