"""The bounds of what one request may ask for, so that no input costs unbounded work or overflows a column."""

# Row ids and versions are INTEGER columns: 32 bits on PostgreSQL (SQLite's 64 bits hold them too).
MAX_ROW_ID = 2**31 - 1
