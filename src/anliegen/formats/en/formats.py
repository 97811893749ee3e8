"""English dates agents read at a glance: Django's SHORT_DATETIME_FORMAT (m/d/Y) is a day-month puzzle abroad.

ISO 8601 order (2026-12-02 14:05) is unambiguous in every English-speaking country and sorts as it reads;
times on the 24-hour clock like the German desk. Customer-facing long dates stay Django's ("Dec. 2, 2026").
"""

SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
