"""Arabic: Western (European) digits with a comma between thousands and a point before decimals.

Django's own ``ar`` formats write 1.234,5 (the Maghreb convention). The society's Arabic readers are
clinicians across the Middle East and North Africa who read medical literature whose figures, doses
and laboratory values use Western digits as 1,234.5, so the site writes them that way too (docs/
translations.md). Dates keep Django's Arabic month names (يناير, فبراير…), day-month-year order.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 6  # Saturday, as in most of the Arab world
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
