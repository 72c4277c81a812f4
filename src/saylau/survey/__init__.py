"""Survey statistics for observers: the parallel vote tabulation (PVT) and the exit poll.

Pure: numpy and scipy on arrays, no Django, no files (docs/pvt.md). The CLI (`saylau pvt`)
reads the CSV files through the paper app's column map and calls these functions.
"""
