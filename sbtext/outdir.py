"""The output folder of a run: checked, locked, written aside and swapped in whole.

A run writes into a fresh folder beside the target (`.NAME.tmp-XXXX`) and only at the end puts
it in the target's place, so the target always holds one complete run: the previous one until
the swap, the new one after it. On Linux the swap is a single atomic exchange of the two
folders; elsewhere two renames, and a run killed between them is repaired by the next run. A
lock beside the target (`.NAME.lock`) refuses a second run into the same folder while one
writes. `--force` replaces a previous sbtext output as a whole (no stale files remain), but never
a folder holding other files, and never a folder that holds or lies inside an input.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from sbtext.errors import Errors, SbtextError

OUTPUT_NAME = re.compile(
    r"^(passages|documents|expectations|expectations_long|framing_by_source|purpose_by_source|"
    r"spheres_by_framing|errors)(\.excel)?\.csv$|^(sbtext\.xlsx|expectations\.md|report\.html|run\.json|parquet)$"
    r"|^\..+\.tmp$"
)
"""What a previous run may have left in its folder; anything else makes --force refuse the folder."""
HOLD_ENV = "SBTEXT_HOLD_BEFORE_SWAP"
"""Test hook: a file to create just before the swap, after which the run waits to be killed."""


def check_out_dir(out: Path, *, force: bool, inputs: Iterable[Path | str] = ()) -> None:
    """Refuse an output folder that must not be written: see the module docstring.

    Raises:
        SbtextError: E080 exists and not empty, E083 not an sbtext output, E081 inside an
            input folder, E085 holds an input.
    """
    out = Path(os.path.abspath(out))
    for item in inputs:
        _check_input(out, Path(item))
    if out.exists() and not out.is_dir():
        raise SbtextError(Errors.E080, path=str(out))
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise SbtextError(Errors.E080, path=str(out))
        foreign = sorted(p.name for p in out.iterdir() if not OUTPUT_NAME.match(p.name))
        if foreign:
            raise SbtextError(Errors.E083, path=str(out), found=foreign[0])


def _check_input(out: Path, item: Path) -> None:
    real_out = os.path.realpath(out)
    real = os.path.realpath(item)
    folder = real if item.is_dir() else os.path.dirname(real) if item.name == "manifest.csv" else ""
    if folder and (real_out == folder or real_out.startswith(folder.rstrip(os.sep) + os.sep)):
        raise SbtextError(Errors.E081, path=str(out), input=str(item))
    if real.startswith(real_out.rstrip(os.sep) + os.sep):
        raise SbtextError(Errors.E085, path=str(out), input=str(item))


@contextlib.contextmanager
def staged_output(out: Path, *, force: bool, inputs: Iterable[Path | str] = ()) -> Iterator[Path]:
    """Yield a fresh folder to write the run into; swap it into `out` when the block succeeds.

    Raises:
        SbtextError: those of `check_out_dir`, E082 when another run holds the folder, E084 when
            the folder cannot be written (permissions, a full disk).
    """
    out = Path(os.path.abspath(out))
    inputs = list(inputs)
    check_out_dir(out, force=force, inputs=inputs)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with _locked(out):
            _clear_leftovers(out)
            check_out_dir(out, force=force, inputs=inputs)  # again: another run may have finished meanwhile
            stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
            try:
                os.chmod(stage, 0o777 & ~_umask())
                yield stage
                _hold_for_test()
                _swap(stage, out)
            finally:
                shutil.rmtree(stage, ignore_errors=True)
    except OSError as e:
        detail = f"{e.strerror or e} ({e.filename})" if e.filename else str(e.strerror or e)
        raise SbtextError(Errors.E084, path=str(out), detail=detail) from e


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """An exclusive lock on `.NAME.lock` beside `out`; the system frees it when the process dies."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; the swap still never mixes two runs
        yield
        return
    with open(out.parent / f".{out.name}.lock", "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise SbtextError(Errors.E082, path=str(out)) from e
        _note_owner(handle)
        yield


def _note_owner(handle: IO[str]) -> None:
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()


def _clear_leftovers(out: Path) -> None:
    """Folders a killed run left beside `out` (under the lock, no run is using them)."""
    for old in sorted(out.parent.glob(f".{out.name}.old-*")):
        if not out.exists():  # killed between the two renames of `_swap`: put the old run back
            os.rename(old, out)
        else:
            shutil.rmtree(old, ignore_errors=True)
    for stage in out.parent.glob(f".{out.name}.tmp-*"):
        shutil.rmtree(stage, ignore_errors=True)


def _swap(stage: Path, out: Path) -> None:
    """Put `stage` in the place of `out`; the previous `out` (if any) ends up in `stage`, removed after."""
    if not out.exists():
        os.rename(stage, out)
        return
    if _exchange(stage, out):
        return
    old = out.parent / f".{out.name}.old-{secrets.token_hex(4)}"
    os.rename(out, old)
    os.rename(stage, out)
    shutil.rmtree(old, ignore_errors=True)


RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically with Linux's renameat2(RENAME_EXCHANGE); False where unsupported."""
    name = ctypes.util.find_library("c") if sys.platform.startswith("linux") else None
    if not name:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    result = libc.renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return bool(result == 0)


def _hold_for_test() -> None:
    marker = os.environ.get(HOLD_ENV)
    if marker:
        Path(marker).touch()
        time.sleep(120)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
