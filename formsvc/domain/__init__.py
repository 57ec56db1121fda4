"""Plain Python: the programme's rules, no Flask and no SQL."""
