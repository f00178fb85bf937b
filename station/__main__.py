"""`python -m station`: the same as the `station` command."""

from station.cli import main

raise SystemExit(main())
