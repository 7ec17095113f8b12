"""Documents out and in: Word (OOXML) with real tracked changes, and Akoma Ntoso (AKN4UN)."""
