"""Demo data for `manage.py seed_demo`: word lists, pure generators, the bulk writer, the logins."""
