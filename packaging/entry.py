"""The bundle's entry script: PyInstaller needs a file, the program is station.cli.main."""

import multiprocessing

if __name__ == "__main__":
    # The roster import checks big files in worker processes; a frozen
    # Windows program must let those children start as workers, not as the app.
    multiprocessing.freeze_support()
    from station.cli.main import main

    raise SystemExit(main())
