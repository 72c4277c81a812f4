"""The public election record: a directory (or a .zip of one) of canonical JSON files.

    record.json            {"schema": "saylau-record/1", "election_id", "fingerprint",
                            "files": {relative path: sha256 hex}}
    manifest.json          the manifest (manifest.py)
    election.json          {"schema": "saylau-election/1", "group": "ristretto255",
                            "joint_public_key", "fingerprint", "board_public_key",
                            "trustees": n, "threshold": t}
    dkg.json               the key-ceremony transcript (crypto/dkg.py)
    roll.json              {"schema": "saylau-roll/1", "districts": {id: voters on the roll}}
    credentials.json       {"schema": "saylau-credentials/1", "districts": {id: [hex, ...]}}
    board/leaves.jsonl     one leaf per line: the leaf's exact bytes (events.py), then "\n"
    board/heads.jsonl      one signed tree head per line (board.py)
    tally.json             encrypted sums, decryption shares and counts (tally.py)
    results.json           the announced results
    receipts.jsonl         optional: receipts that voters or observers chose to publish

Every file but the .jsonl ones is canonical JSON. Reading never trusts the content: callers
parse each document with the module that owns its shape.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from saylau.crypto.encoding import element_from_hex
from saylau.protocol.canonical import StrictJsonError, canonical_json, strict_loads
from saylau.protocol.credentials import CredentialList
from saylau.protocol.errors import InvalidRecord
from saylau.protocol.failures import CodedError
from saylau.protocol.verify_ballots import line_offsets

RECORD_SCHEMA = "saylau-record/1"
ELECTION_SCHEMA = "saylau-election/1"
ROLL_SCHEMA = "saylau-roll/1"
CREDENTIALS_SCHEMA = "saylau-credentials/1"
SUPPORTED_SCHEMAS = (RECORD_SCHEMA,)
LEAVES = "board/leaves.jsonl"
HEADS = "board/heads.jsonl"
RECEIPTS = "receipts.jsonl"
DOCUMENTS = (
    "manifest.json",
    "election.json",
    "dkg.json",
    "roll.json",
    "credentials.json",
    "tally.json",
    "results.json",
)


def election_document(
    joint_public_key: str, fingerprint: str, board_public_key: str, trustees: int, threshold: int
) -> dict[str, Any]:
    """election.json (keys and fingerprint as lowercase hex)."""
    return {
        "schema": ELECTION_SCHEMA,
        "group": "ristretto255",
        "joint_public_key": joint_public_key,
        "fingerprint": fingerprint,
        "board_public_key": board_public_key,
        "trustees": trustees,
        "threshold": threshold,
    }


def roll_document(counts: Mapping[str, int]) -> dict[str, Any]:
    """roll.json: voters on the closed roll per district."""
    return {"schema": ROLL_SCHEMA, "districts": dict(counts)}


def credentials_document(districts: Mapping[str, Iterable[str]]) -> dict[str, Any]:
    """credentials.json: public credentials (hex) per district, as the CA published them."""
    return {"schema": CREDENTIALS_SCHEMA, "districts": {d: list(c) for d, c in districts.items()}}


def credential_list_from_document(doc: Any) -> CredentialList:
    """Parse credentials.json (every credential a valid group element); InvalidRecord or
    InvalidEncoding otherwise. Repeats and the identity element are the caller's checks."""
    if not isinstance(doc, dict) or doc.get("schema") != CREDENTIALS_SCHEMA:
        raise CodedError("document.schema", schema=repr(CREDENTIALS_SCHEMA))
    districts = doc.get("districts")
    if not isinstance(districts, dict) or not all(isinstance(v, list) for v in districts.values()):
        raise InvalidRecord("'districts' must map each district to a list of credentials")
    return CredentialList(
        {
            d: tuple(element_from_hex(c, f"credentials.{d}[{i}]") for i, c in enumerate(lst))
            for d, lst in districts.items()
        }
    )


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


class Record:
    """A record on disk. Use `Record.open(path)`; a .zip is extracted to a temporary dir."""

    def __init__(self, directory: Path, cleanup: Path | None = None) -> None:
        self.dir = directory
        self._cleanup = cleanup

    @classmethod
    def open(cls, path: Path) -> Record:
        if not path.exists():
            raise CodedError("record.not_found", path=str(path))
        if path.is_dir():
            return cls(path)
        tmp = Path(tempfile.mkdtemp(prefix="saylau-record-"))
        try:
            with zipfile.ZipFile(path) as z:
                for info in z.infolist():
                    target = (tmp / info.filename).resolve()
                    if not target.is_relative_to(tmp.resolve()):
                        raise CodedError(
                            "record.zip_escape", path=str(path), entry=repr(info.filename)
                        )
                z.extractall(tmp)
        except (zipfile.BadZipFile, EOFError, OSError) as e:
            shutil.rmtree(tmp, ignore_errors=True)
            raise CodedError("record.bad_zip", path=str(path), detail=str(e)) from None
        except InvalidRecord:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        inner = [p for p in tmp.iterdir()]
        root = inner[0] if len(inner) == 1 and inner[0].is_dir() else tmp
        return cls(root, cleanup=tmp)

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

    def json(self, name: str) -> Any:
        p = self.dir / name
        if not self.regular(name):
            raise CodedError("record.file_missing", name=name)
        try:
            return strict_loads(p.read_bytes(), name)
        except StrictJsonError as e:
            raise CodedError(e.code, **e.params) from None

    def index(self) -> dict[str, Any]:
        idx = self.json("record.json")
        if not isinstance(idx, dict):
            raise CodedError("record.not_object", name="record.json")
        schema = idx.get("schema")
        if schema not in SUPPORTED_SCHEMAS:
            raise CodedError(
                "record.unknown_schema",
                name="record.json",
                schema=repr(schema),
                supported=", ".join(SUPPORTED_SCHEMAS),
            )
        if not isinstance(idx.get("files"), dict):
            raise CodedError("record.files_not_object")
        return idx

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

    def line_offsets(self, name: str) -> list[tuple[int, int]]:
        """(offset, length without newline) of every line, for random access by workers."""
        if not self.regular(name):
            raise CodedError("record.file_missing", name=name)
        return line_offsets(self.dir / name)

    def lines(self, name: str) -> list[bytes]:
        p = self.dir / name
        if not self.regular(name):
            raise CodedError("record.file_missing", name=name)
        return [ln.rstrip(b"\n") for ln in p.read_bytes().splitlines(keepends=True)]
