"""The English site is read in Denmark and Europe: 20 November 2026, not Nov. 20, 2026."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
