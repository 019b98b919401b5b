"""Reading and writing the pabulib ``.pb`` format (pabulib.org/format).

``read_pabulib`` reads a file into a ``PabulibFile`` that keeps every cell as written, so
``write_pabulib`` gives the file back without loss; ``PabulibFile.election()`` turns it
into an instance and a profile that can be counted, with the file's rule and official
result. Reading is tolerant by default and reports what it mended (``FileWarning``);
``strict=True`` refuses the first irregularity with a ``PabulibError`` naming the line
and the field.
"""

from .election import (
    COUNTED_RULES,
    NOT_REPRODUCIBLE,
    Check,
    Difference,
    PabulibElection,
    ReadSummary,
    UnreproducibleRule,
)
from .reader import (
    REQUIRED_META,
    RULES,
    VOTE_TYPES,
    Action,
    FileWarning,
    PabulibError,
    PabulibFile,
    money,
    parse_pabulib,
    read_pabulib,
)
from .writer import pabulib_file, write_pabulib

__all__ = [
    "COUNTED_RULES",
    "NOT_REPRODUCIBLE",
    "REQUIRED_META",
    "RULES",
    "VOTE_TYPES",
    "Action",
    "Check",
    "Difference",
    "FileWarning",
    "PabulibElection",
    "PabulibError",
    "PabulibFile",
    "ReadSummary",
    "UnreproducibleRule",
    "money",
    "pabulib_file",
    "parse_pabulib",
    "read_pabulib",
    "write_pabulib",
]
