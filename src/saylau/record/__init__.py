"""The public election record on disk: a directory or a .zip of canonical JSON files
(saylau.protocol.documents names them). Here are the reading and writing of files, the zip,
the rules for which files a record holds, the process pool that checks the leaves, and
`verify_record`, which opens a record and drives the pure verifier (saylau.protocol.verify).
Nothing in saylau.crypto or saylau.protocol imports this package."""
