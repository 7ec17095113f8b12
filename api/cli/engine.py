"""Text-engine commands (`accord diff`, `accord align`): built in issue 3."""
