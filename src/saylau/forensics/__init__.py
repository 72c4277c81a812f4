"""Election forensics on precinct counts (docs/forensics.md): pure numpy/scipy, no Django, no
file I/O. Each module is one test; it takes arrays or a `Precincts` and returns a result
dataclass. Random numbers come from a numpy Generator the caller seeds, so a report is
reproducible."""
