"""Qt-free core: workspace storage, schemes, scoring, meters, export and signing.

Nothing under this package may import PySide6 (tests/test_architecture.py checks it).
"""
