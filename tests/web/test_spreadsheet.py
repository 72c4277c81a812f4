"""CSV cells that a spreadsheet would run as formulas get a leading apostrophe."""

from saylau.web.spreadsheet import neutral


def test_formula_starts_are_neutralised_and_the_rest_kept():
    for text in ("=HYPERLINK(1)", "+7701", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert neutral(text) == "'" + text
    for value in ("S-75", "Алматы", "", 12, None, -3):
        assert neutral(value) == value
