"""The DEMO election: every role (organiser, trustees, credential authority, voters) played on
this one machine, clearly labelled. A real election never does this."""
