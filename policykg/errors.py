"""The project's exception tree.

PolicyKGError
 +-- InputError            a document cannot be read or understood (names the file)
 |    +-- EmptyDocumentError
 |    +-- BinaryDocumentError
 |    +-- DecodeError
 |    +-- DuplicateDocumentError
 +-- SchemaError           a graph does not conform to schema/ (unknown label, missing key)
 +-- DatabaseError         Neo4j / embedded engine unreachable, bad credentials, unknown database
 +-- QueryError            unknown named query, missing or invalid parameter
 +-- UsageError            bad command-line use

The CLI turns each into one clear line on stderr and a non-zero exit code, never a traceback.
"""


class PolicyKGError(Exception):
    """Root of every error policykg raises on purpose."""

    exit_code = 1


class InputError(PolicyKGError):
    """A document could not be read; the message starts with the file name."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class EmptyDocumentError(InputError):
    pass


class BinaryDocumentError(InputError):
    pass


class DecodeError(InputError):
    pass


class DuplicateDocumentError(InputError):
    pass


class SchemaError(PolicyKGError):
    pass


class DatabaseError(PolicyKGError):
    pass


class QueryError(PolicyKGError):
    exit_code = 2


class UsageError(PolicyKGError):
    exit_code = 2
