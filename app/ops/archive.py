"""The backup archive: one tar file (gzip-compressed unless its name ends in .tar) holding
manifest.json first, then the database and the stored files, each listed in the manifest with
its size and sha256. Written aside and moved into place (mode 0600: it holds classified
content); read back only after every member has been checked against the manifest."""

import hashlib
import io
import json
import os
import secrets
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

FORMAT = "oversight-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
REQUIRED = {"format_version", "created_at", "alembic_revision", "database", "files"}


class ArchiveRefused(Exception):
    """The archive cannot be made or used; the message says why, for the administrator."""


@dataclass(frozen=True)
class Member:
    """A file to put in the archive: its name there and where it is now."""

    name: str
    source: Path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_archive(output: Path, facts: dict, members: list[Member]) -> dict:
    """Write the archive to `output` in one piece and return its manifest: `facts` plus every
    member's name, size and sha256. The sources must not change meanwhile (they are the
    backup's own staged copies)."""
    files = [{"path": m.name, "size": m.source.stat().st_size, "sha256": sha256_of(m.source)}
             for m in members]
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, **facts, "files": files}
    encoded = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
    mode = "w" if output.name.endswith(".tar") else "w:gz"
    aside = output.with_name(f".{output.name}.{secrets.token_hex(8)}.part")
    try:
        with os.fdopen(os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw:
            with tarfile.open(fileobj=raw, mode=mode, format=tarfile.PAX_FORMAT) as tar:
                tar.addfile(_info(MANIFEST, len(encoded)), io.BytesIO(encoded))
                for member, listed in zip(members, files, strict=True):
                    with open(member.source, "rb") as stream:
                        tar.addfile(_info(member.name, listed["size"]), stream)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(aside, output)
    finally:
        aside.unlink(missing_ok=True)
    return manifest


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    return info


def unpack_verified(archive: Path, staging: Path) -> dict:
    """Unpack `archive` into the empty folder `staging` and return its manifest, or refuse
    (ArchiveRefused) unless every member is a plain file the manifest lists with the same size
    and sha256, and every listed file is there. The caller removes `staging` on refusal."""
    try:
        with tarfile.open(archive, mode="r:*") as tar:
            members = iter(tar)
            manifest = _manifest(tar, next(members, None))
            listed = {entry["path"]: entry for entry in manifest["files"]}
            seen: set[str] = set()
            for info in members:
                entry = listed.get(info.name)
                if entry is None or info.name in seen or not info.isreg():
                    raise ArchiveRefused(f"the archive holds {info.name!r}, which its manifest "
                                         "does not list (or lists once only)")
                seen.add(info.name)
                _unpack(tar, info, entry, staging / _safe_path(info.name))
    except (tarfile.TarError, EOFError, OSError, ValueError, KeyError, TypeError) as exc:
        raise ArchiveRefused(f"{archive} is not a readable backup archive ({exc})") from exc
    missing = sorted(set(listed) - seen)
    if missing:
        raise ArchiveRefused(f"the archive lacks {len(missing)} file(s) its manifest lists, "
                             f"e.g. {missing[0]}")
    return manifest


def _manifest(tar: tarfile.TarFile, first: tarfile.TarInfo | None) -> dict:
    if first is None or first.name != MANIFEST or not first.isreg():
        raise ArchiveRefused("the file is not an Oversight Desk backup (no manifest first)")
    manifest = json.loads(tar.extractfile(first).read())
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not REQUIRED <= set(
            manifest):
        raise ArchiveRefused("the file is not an Oversight Desk backup (unknown manifest)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveRefused(f"the archive's format version {manifest.get('format_version')} "
                             f"is not {FORMAT_VERSION}, the one this version reads")
    return manifest


def _safe_path(name: str) -> PurePosixPath:
    """A relative path without `..`: a member never writes outside the staging folder."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ArchiveRefused(f"the archive holds an unsafe path {name!r}")
    return path


def _unpack(tar: tarfile.TarFile, info: tarfile.TarInfo, entry: dict, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest, size = hashlib.sha256(), 0
    with tar.extractfile(info) as stream, os.fdopen(
            os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        for chunk in _chunks(stream):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
        raise ArchiveRefused(f"{info.name} in the archive does not match its checksum in the "
                             "manifest: the archive is damaged")


def _chunks(stream) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK):
        yield chunk
