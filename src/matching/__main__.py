"""``python -m matching`` entry point."""

from matching.cli import main

raise SystemExit(main())
