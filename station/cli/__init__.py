"""The `station` command line: one module per command group, each registering its parsers and handlers.

main.py builds the top parser, asks each module's ``register`` (in `station --help` order) to add
its commands through support.CommandTree, and runs ``args.func`` inside the one error handling.
login.py is the log-in every command shares (``session_for``).
"""
