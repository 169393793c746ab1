"""Bundle entry point of `schoolvault` (the GUI); PyInstaller freezes this script."""

import multiprocessing
import sys

from schoolvault.ui.app import main

if __name__ == "__main__":
    # District import and demo use process pools; a frozen Windows child must stop here.
    multiprocessing.freeze_support()
    sys.exit(main())
