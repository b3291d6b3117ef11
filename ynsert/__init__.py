"""ynsert: the reader-insert engine."""
