"""A record directory on disk: writing one (RecordWriter, zip_record) and reading one
(Record: a .zip is extracted to a temporary directory; §12.1's rules for the files a record
holds — hidden files and symbolic links count, links are never followed)."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from saylau.protocol.canonical import StrictJsonError, canonical_json, strict_loads
from saylau.protocol.documents import DOCUMENTS, HEADS, LEAVES, RECORD_SCHEMA, check_index
from saylau.protocol.errors import InvalidRecord
from saylau.protocol.failures import CodedError
from saylau.record.leaves import LeavesFile, line_offsets


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class RecordWriter:
    def __init__(self, directory: Path) -> None:
        self.dir = directory
        (self.dir / "board").mkdir(parents=True, exist_ok=True)

    def write_json(self, name: str, obj: Any) -> None:
        (self.dir / name).write_bytes(canonical_json(obj))

    def write_lines(self, name: str, lines: Iterable[bytes]) -> None:
        with (self.dir / name).open("wb") as f:
            for line in lines:
                if b"\n" in line:
                    raise ValueError("a record line may not contain a newline")
                f.write(line + b"\n")

    def finish(self, election_id: str, fingerprint: bytes) -> None:
        files = {
            p.relative_to(self.dir).as_posix(): _sha256_file(p)
            for p in sorted(self.dir.rglob("*"))
            if p.is_file() and p.name != "record.json"
        }
        self.write_json(
            "record.json",
            {
                "schema": RECORD_SCHEMA,
                "election_id": election_id,
                "fingerprint": fingerprint.hex(),
                "files": files,
            },
        )


def zip_record(directory: Path, zip_path: Path) -> None:
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for p in sorted(directory.rglob("*")):
            if p.is_file():
                z.write(p, p.relative_to(directory).as_posix())


def _extract(path: Path, tmp: Path) -> None:
    """Extract the zip at `path` into `tmp`, refusing entries that would land outside it."""
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                target = (tmp / info.filename).resolve()
                if not target.is_relative_to(tmp.resolve()):
                    raise CodedError("record.zip_escape", path=str(path), entry=repr(info.filename))
            z.extractall(tmp)
    except (zipfile.BadZipFile, EOFError, OSError) as e:
        raise CodedError("record.bad_zip", path=str(path), detail=str(e)) from None


class Record:
    """A record on disk. Use `Record.open(path)`; a .zip is extracted to a temporary dir.
    It is the `RecordSource` that saylau.protocol.verify reads."""

    def __init__(self, directory: Path, cleanup: Path | None = None, workers: int = 1) -> None:
        self.dir = directory
        self._cleanup = cleanup
        self.workers = max(1, workers)

    @classmethod
    def open(cls, path: Path, workers: int = 1) -> Record:
        if not path.exists():
            raise CodedError("record.not_found", path=str(path))
        if path.is_dir():
            return cls(path, workers=workers)
        tmp = Path(tempfile.mkdtemp(prefix="saylau-record-"))
        try:
            _extract(path, tmp)
        except InvalidRecord:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        inner = list(tmp.iterdir())
        root = inner[0] if len(inner) == 1 and inner[0].is_dir() else tmp
        return cls(root, cleanup=tmp, workers=workers)

    def close(self) -> None:
        if self._cleanup is not None:
            shutil.rmtree(self._cleanup, ignore_errors=True)

    def __enter__(self) -> Record:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def path(self, name: str) -> Path:
        return self.dir / name

    def regular(self, name: str) -> bool:
        """`name` is a regular file of the record, reached through no symbolic link (§12.1)."""
        return (self.dir / name).is_file() and not self._through_link(name)

    def _through_link(self, name: str) -> bool:
        p = self.dir
        for part in Path(os.path.normpath(name)).parts:
            p = p / part
            if p.is_symlink():
                return True
        return False

    def present(self) -> list[str]:
        """Every entry of the record that is not a directory, hidden ones and symbolic links
        included (links are not followed), as sorted POSIX paths (§12.1)."""
        found = []
        for top, dirs, files in os.walk(self.dir, followlinks=False):
            rel = Path(top).relative_to(self.dir)
            found += [(rel / f).as_posix() for f in files]
            found += [(rel / d).as_posix() for d in dirs if (Path(top) / d).is_symlink()]
        return sorted(found)

    def has(self, name: str) -> bool:
        return self.regular(name)

    def _require(self, name: str) -> Path:
        if not self.regular(name):
            raise CodedError("record.file_missing", name=name)
        return self.dir / name

    def json(self, name: str) -> Any:
        p = self._require(name)
        try:
            return strict_loads(p.read_bytes(), name)
        except StrictJsonError as e:
            raise CodedError(e.code, **e.params) from None

    def index(self) -> dict[str, Any]:
        return check_index(self.json("record.json"))

    def file_digest_problems(self) -> list[tuple[str, str]]:
        """(path, code of saylau.protocol.failures) of every file that does not match."""
        problems = []
        files = self.index()["files"]
        for name, expected in sorted(files.items()):
            p = self.dir / name
            if (
                not isinstance(name, str)
                or Path(name).is_absolute()
                or Path(os.path.normpath(name)).parts[:1] == ("..",)
            ):
                problems.append((str(name), "files.outside"))
                continue
            if self._through_link(name):
                problems.append((name, "files.link"))
            elif not p.is_file():
                problems.append((name, "files.missing"))
            elif _sha256_file(p) != expected:
                problems.append((name, "files.digest"))
        for name in (*DOCUMENTS, LEAVES, HEADS):
            if name not in files:
                problems.append((name, "files.required"))
        for rel in self.present():
            if rel != "record.json" and rel not in files:
                problems.append((rel, "files.unlisted"))
        return problems

    def leaves(self) -> LeavesFile:
        """board/leaves.jsonl, read chunk by chunk in `workers` processes."""
        p = self._require(LEAVES)
        return LeavesFile(p, line_offsets(p), self.workers)

    def lines(self, name: str) -> list[bytes]:
        p = self._require(name)
        return [ln.rstrip(b"\n") for ln in p.read_bytes().splitlines(keepends=True)]
