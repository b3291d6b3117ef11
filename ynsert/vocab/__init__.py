"""One vocabulary: persons, placeholders, header labels and word lists, defined once."""
