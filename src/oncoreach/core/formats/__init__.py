"""Project overrides of Django's locale formats (settings.FORMAT_MODULE_PATH); Django's own formats
apply to everything not set here."""
