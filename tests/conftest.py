"""The one conftest: loads the shared fixtures in tests/helpers/ for every test module.

pytest reads ``pytest_plugins`` only in the root conftest.  A test asks for a
fixture by naming it as an argument, never by importing it; constants and plain
helper functions it imports from the helper module (``from helpers.ui import WANG``).

- helpers.fixtures: every test in Chinese, one QApplication first; ``data_dir``,
  ``store``, ``write_csv``.
- helpers.security: scrypt turned down everywhere (``fast_kdf``; the real cost is
  checked once, in test_keyslots); ``recovery_key``, ``organizer`` and
  ``promoter`` sessions on ``store``; a hand-moved ``clock``.
- helpers.ui: no modal message box ever blocks a test; ``ui_lang``, ``session``
  (an open booth session), ``window`` (the main window, organizer logged in).
- helpers.hub: ``pg_cluster``, ``hub_url`` (SQLite and PostgreSQL), ``hub``,
  ``sqlite_hub``.
- helpers.posters: ``poster_store``.
- helpers.busy: ``hold_write_lock`` (another process holding the store's write lock).
- helpers.lan: ``event_host`` (a station serving the event over TLS on loopback), ``join_station``.
"""

pytest_plugins = [
    "helpers.fixtures",
    "helpers.security",
    "helpers.ui",
    "helpers.hub",
    "helpers.posters",
    "helpers.busy",
    "helpers.lan",
]
