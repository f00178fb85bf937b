"""The `station` command line: one module per command group, each registering its parsers and handlers.
"""
