"""Mentoring's writes, one module per part: the cycle (cycle), mentors' offers (offers), mentees'
requests (requests), match rounds and runs (rounds), two-sided consent and the mentorship (consent)."""
