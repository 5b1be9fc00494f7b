"""The depth our JSON parser measures before parsing is the depth the JSON scanner would reach,
whatever the strings hold (brackets, quotes, backslashes, any character)."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from breathmaster.api.parsers import MAX_DEPTH, json_depth, scanned_depth

TRICKY_TEXT = st.text(alphabet=st.sampled_from('[]{}"\\\\ab\u00e9\U0001f331,:'), max_size=12)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TRICKY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TRICKY_TEXT, inner, max_size=4),
    max_leaves=80,
)


def real_depth(value) -> int:
    if isinstance(value, list):
        return 1 + max(map(real_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(real_depth, value.values()), default=0)
    return 0


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.booleans())
def test_the_measured_depth_is_the_real_one(value, ascii_only):
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert scanned_depth(text) == real_depth(value)
    # Bodies with few openers skip the scan: their count is a bound that is never too low.
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        assert json_depth(text) >= real_depth(value)


def test_a_deep_body_hidden_behind_closing_brackets_in_a_string_is_still_deep():
    text = '["' + "]" * 1000 + '", ' + "[" * 100 + "]" * 100 + "]"
    assert json_depth(text) == 101
    escaped = '["\\"' + "]" * 1000 + '", ' + "[" * 100 + "]" * 100 + "]"
    assert json_depth(escaped) == 101
