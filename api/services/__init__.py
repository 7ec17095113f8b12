"""Use cases. Each function takes a Session and flushes; the caller's unit of work commits once."""
