"""Paper voting: precinct protocols (double entry, control relations), who voted on paper,
consolidation with the online tally, and recounts."""
