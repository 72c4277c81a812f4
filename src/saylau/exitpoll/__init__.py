"""The independent exit poll: a polling organisation's poll of an election, its sample of
stations, interviewers' entries (queued offline on the phone) and the estimates."""
