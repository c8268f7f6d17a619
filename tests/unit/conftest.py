"""Unit tests of the pure rules in docs/_ext/ldn_guide/rules: no Sphinx build, no fixtures."""

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[2] / "docs" / "_ext"))
