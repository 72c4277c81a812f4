"""Member roll: members (IIN, phone, district), imports, election roll freezes and snapshots.

Pure logic lives in ``iin``, ``phone``, ``districts``, ``synth`` and ``redact`` (no Django);
other apps use ``saylau.registry.services`` only.
"""
