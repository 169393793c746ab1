"""Bundle entry point of `schoolvault-cli`; PyInstaller freezes this script."""

import multiprocessing
import sys

from schoolvault.cli import main

if __name__ == "__main__":
    # District import and demo use process pools; a frozen Windows child must stop here.
    multiprocessing.freeze_support()
    sys.exit(main())
