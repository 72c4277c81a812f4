"""Observer network: organisations and their charter, headquarters, observers, accreditation
to polling stations, election-day submissions (check-in/out, checklists, incidents with
photos, protocol copies)."""
