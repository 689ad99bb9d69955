"""The Whoosh full-text index: derived data, rebuilt whenever in doubt.

It lives in the user cache dir and carries a fingerprint of the schema
version and the sources it was built from; a mismatch means an update or a
rebuild. Marks never go into it. No Whoosh object leaves the core: the
library passes parsed queries in and gets ids and term sets back.
"""

from papertui.index.build import indexed_ids
from papertui.index.builder import (
    BuildError,
    build_in_child,
    build_lock,
    clear_leftovers,
    lock_file,
    update_in_child,
)
from papertui.index.fingerprint import (
    FINGERPRINT_FILE,
    UnreadableFingerprint,
    exists,
    forget,
    read_fingerprint,
)
from papertui.index.foryou import ForYou
from papertui.index.schema import PLAIN_TWIN, SCHEMA, SCHEMA_VERSION, Doc, doc_of, fields_of
from papertui.index.search import PaperIndex

__all__ = [
    "FINGERPRINT_FILE", "PLAIN_TWIN", "SCHEMA", "SCHEMA_VERSION", "BuildError", "Doc", "ForYou",
    "PaperIndex", "UnreadableFingerprint", "build_in_child", "build_lock", "clear_leftovers",
    "doc_of", "exists", "fields_of", "forget", "indexed_ids", "lock_file", "read_fingerprint",
    "update_in_child",
]
