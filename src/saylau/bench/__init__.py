"""Benchmarks (`saylau bench crypto|load|http-client`): each prints its figure as a ratio to a
floor or a baseline measured in the same run; the CLI verbs in saylau.cli.bench are thin."""
