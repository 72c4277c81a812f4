"""Benchmarks that need more than one process: the voting service under load
(`saylau bench load`). The crypto benchmarks live in saylau.cli.bench."""
