"""Files that hold secrets on a trustee's or the credential authority's machine (key files,
credential secrets): written atomically (a crash leaves the old file or the new one, never
half of one), readable by the owner only, and on disk (fsync) before the write returns."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_private_json(path: Path, data: Any, *, prefix: str, **dump: Any) -> None:
    """Write `data` as JSON to `path` (mode 0600) through a temporary file beside it;
    `dump`: json.dump's options."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, **dump)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
