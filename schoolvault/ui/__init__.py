"""The desktop GUI (PySide6). The only package that imports Qt; it shows core objects and calls core verbs."""
