"""Word lists for the demo data: ``places`` (countries, names, organizations) and ``content``."""
