"""The station's store: the SQLite database, its models and migrations, the data directory, the clock, the log,
and the enterprise and union tables.
"""
