"""Loading an ops repo: files -> documents with source maps -> the typed model."""

from opsrepo.load.files import Document, discover, parse_document, read_document
from opsrepo.load.yamlsrc import SourceMap, parse_yaml

__all__ = ["Document", "SourceMap", "discover", "parse_document", "parse_yaml", "read_document"]
