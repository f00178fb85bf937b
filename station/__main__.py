"""`python -m station`: the same as the `station` command."""

from station.cli.main import main

raise SystemExit(main())
