"""The one way stakemap writes a file: whole or not at all, with errors a user can act on.

Every file the library writes (portfolio saves and exports, diagrams, review packs) goes
through ``write_atomic``, so they all share the same guarantees:

- the data goes to a temporary file in the target's own folder (same file system, so the
  final ``os.replace`` is atomic), is flushed and fsynced, then replaces the target in one
  step: a reader sees the old file or the new one, never half of either;
- the temporary file is removed on any failure, Ctrl-C included, and the old target is left
  as it was;
- the replaced file keeps its permission bits; a new file gets what ``open()`` would give
  (0666 less the umask), not ``mkstemp``'s private 0600;
- a symlinked target is written through (the file it points to is replaced), so the link
  survives;
- a target that is one of the command's ``inputs`` is refused before anything is written,
  because ``render portfolio.yaml -o portfolio.yaml`` would otherwise destroy the input;
- every ``OSError`` becomes one ``OutputError`` whose one-line message names the path the
  caller gave (never the temporary file) and the fix, with the ``OSError`` as its cause.
  The error is also the builtin class of its cause (``PermissionError``,
  ``FileNotFoundError``, ``IsADirectoryError``, ...), so code that caught those before
  stakemap translated them keeps working.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import cast

from stakemap.errors import OutputError

__all__ = ["check_not_input", "write_atomic"]

StrPath = str | os.PathLike[str]

_NO_SPACE = {errno.ENOSPC: "no space left on device",
             getattr(errno, "EDQUOT", errno.ENOSPC): "disk quota exceeded"}


def write_atomic(path: StrPath, data: bytes | str, *, inputs: Iterable[StrPath] = ()) -> Path:
    """Replace ``path`` with ``data`` (text is written as UTF-8) in one step; return ``path``.

    Raises ``OutputError`` when the file cannot be written or is one of ``inputs``; the old
    file (if any) is then unchanged and no temporary file is left behind.
    """
    target = Path(path)
    shown = os.fspath(path)  # messages name the path as the caller wrote it
    check_not_input(path, inputs)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    # Write through a symlink: replacing the link itself would turn it into a plain file.
    real = Path(os.path.realpath(target)) if target.is_symlink() else target
    folder = real.parent
    if real.is_dir():
        raise _error_class(IsADirectoryError)(
            f"cannot write {shown}: it is a folder; give a file name",
            filename=shown, errno=errno.EISDIR)
    existed = real.exists()
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes 0600; keep the mode of the file replaced, or give a new file's
        os.chmod(tmp, real.stat().st_mode & 0o7777 if existed else _new_file_mode())
        os.replace(tmp, real)
        tmp = None
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise _output_error(shown, folder, exc, existed=existed) from exc
        raise
    _sync_folder(folder)
    return target


def check_not_input(path: StrPath, inputs: Iterable[StrPath]) -> None:
    """Refuse an output that is one of ``inputs`` (same path after resolving links, or the
    same file under another name, such as a hard link)."""
    shown = os.fspath(path)
    real = os.path.realpath(path)
    for source in inputs:
        same = os.path.realpath(source) == real
        if not same:
            with contextlib.suppress(OSError):
                same = os.path.samefile(source, path)
        if same:
            raise OutputError(f"refusing to write {shown}: it is an input of this command; "
                              "choose another output file", filename=shown)


def _output_error(target: str, folder: Path, exc: OSError, *, existed: bool) -> OutputError:
    """One line that says what went wrong with ``target`` and what to do about it."""
    where = str(folder) if str(folder) else "."
    unchanged = "the old file is unchanged" if existed else "nothing was written"
    code = exc.errno
    if code == errno.ENOENT and not folder.exists():
        reason = f"folder '{where}' does not exist; create it first"
    elif code == errno.ENOTDIR:
        reason = f"'{where}' is not a folder; choose a folder that exists"
    elif code in (errno.EACCES, errno.EPERM):
        reason = f"permission denied in folder '{where}'; choose a folder you can write to"
    elif code == errno.EROFS:
        reason = (f"folder '{where}' is on a read-only file system; "
                  "choose a folder you can write to")
    elif code in _NO_SPACE:
        reason = f"{_NO_SPACE[code]}; free some space ({unchanged})"
    elif code == errno.EFBIG:
        reason = ("file too large (over the file-size limit); raise the limit or write a "
                  f"smaller file ({unchanged})")
    elif code == errno.EISDIR:
        reason = "it is a folder; give a file name"
    elif code == errno.ENAMETOOLONG:
        reason = "the file name is too long; choose a shorter one"
    else:
        reason = f"{exc.strerror or exc} ({unchanged})"
    return _error_class(type(exc))(f"cannot write {target}: {reason}", filename=target,
                                   errno=code)


_LIKE: dict[type[OSError], type[OutputError]] = {}


def _error_class(like: type[OSError]) -> type[OutputError]:
    """``OutputError`` that is also ``like`` (``PermissionError``, ...), made once per class."""
    if like is OSError or issubclass(like, OutputError):
        return OutputError
    if like not in _LIKE:
        _LIKE[like] = cast("type[OutputError]", type(
            f"Output{like.__name__}", (OutputError, like),
            {"__module__": OutputError.__module__,
             "__doc__": f"An ``OutputError`` caused by a ``{like.__name__}``."}))
    return _LIKE[like]


def _new_file_mode() -> int:
    """0666 less the umask: the mode ``open()`` would have given a new file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; best effort, since some systems cannot fsync a folder
    (and the file is already complete either way)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
