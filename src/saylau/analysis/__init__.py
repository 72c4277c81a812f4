"""Election forensics reports: a commission's CSV or saylau's own results through
saylau.forensics, written as report.json, report.html and report.pdf, and shown in the app
(docs/forensics.md). The modules other than views/urls/apps need no Django."""
