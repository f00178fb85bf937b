"""What the tests share: fixtures and the plain helpers next to them.

tests/conftest.py loads the fixture modules once for every test (``pytest_plugins``); a test asks
for a fixture by naming it as an argument and never imports it.  Constants, builders and helper
functions are imported normally, e.g. ``from helpers.ui import WANG, open_window``.
"""
