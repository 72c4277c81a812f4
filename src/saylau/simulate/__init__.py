"""`saylau simulate`: a whole election in one process (every role played here, for tests,
demos and benchmarks)."""
