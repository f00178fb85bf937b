"""The bundle's entry script: PyInstaller needs a file, the program is station.cli."""

from station.cli import main

raise SystemExit(main())
