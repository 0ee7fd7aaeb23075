"""Which Terraform files a scan reads, grouped into module folders.

Terraform reads a module as a whole folder, so the scan does too: a ``.tf`` file in the scan
brings its folder's other ``.tf``, ``.tf.json`` and ``.tfvars`` files (pre-commit passes only the
files that changed, and a variable declared in ``variables.tf`` must still have its default), and
a call to a local module (``source = "../modules/eks"``) brings that folder, as long as it lies
inside the project root (the folder of ``.ekslint.yaml``, or the working directory): a hostile
``source = "../../../.."`` cannot make the scan read the machine. Files are bounded in number
and size like every other input.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ekslint.linter.loader import LoadIssue, SourceFile, read_file
from ekslint.linter.paths import display_path
from ekslint.linter.terraform.hcl import HclFile, parse_hcl, parse_json
from ekslint.linter.terraform.modules import AUTO_TFVARS, ModuleDir

#: Terraform file suffixes (``.tf.json``/``.tfvars.json`` end in ``.json`` and are told by name).
TF_SUFFIXES = (".tf", ".tf.json")
TFVARS_SUFFIXES = (".tfvars", ".tfvars.json")
#: Most module folders one scan reads, and files per folder (a real repository has far fewer).
MAX_FOLDERS = 5000
MAX_FILES_PER_FOLDER = 500


def is_terraform(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(TF_SUFFIXES + TFVARS_SUFFIXES)


def is_tfvars(name: str) -> bool:
    return name.lower().endswith(TFVARS_SUFFIXES)


def parse(source: SourceFile) -> HclFile:
    if source.display.lower().endswith(".json"):
        return parse_json(source)
    return parse_hcl(source)


class Loader:
    """Reads module folders once each, from the scan's files outwards."""

    def __init__(self, root: Path, cwd: Path, max_bytes: int, notes: list[str]) -> None:
        self.root = os.path.realpath(root)
        self.cwd = cwd
        self.max_bytes = max_bytes
        self.notes = notes
        self.dirs: dict[str, ModuleDir] = {}
        self._by_path: dict[str, SourceFile] = {}
        #: Real paths of the files the scan was given (not those module calls bring in).
        self.scanned: set[str] = set()

    def inside_root(self, path: str) -> bool:
        return path == self.root or path.startswith(self.root.rstrip(os.sep) + os.sep)

    def add_scanned(self, files: Iterable[SourceFile]) -> None:
        for source in files:
            if source.path is None or not is_terraform(source.path.name):
                continue
            real = os.path.realpath(source.path)
            self._by_path[real] = source
            self.scanned.add(real)
        for real in list(self._by_path):
            self.folder(os.path.dirname(real))

    def folder(self, path: str) -> ModuleDir | None:
        """The module folder at ``path`` (a real path), read on first use.

        It is parsed once to learn which local modules it calls, then unloaded: tree-sitter trees
        take about 60 times the size of their text (230 MB for ../shared/corpus-iac), so they are
        kept only while a root module that reaches the folder is evaluated (:meth:`load`).
        """
        found = self.dirs.get(path)
        if found is not None:
            return found
        if len(self.dirs) >= MAX_FOLDERS:
            return None
        try:
            names = sorted(n for n in os.listdir(path) if is_terraform(n))
        except OSError:
            return None
        display = display_path(Path(path), self.cwd)
        module = self.dirs[path] = ModuleDir(path, display)
        if len(names) > MAX_FILES_PER_FOLDER:
            self.notes.append(f"{display}: more than {MAX_FILES_PER_FOLDER} Terraform files; only the first are read")
            names = names[:MAX_FILES_PER_FOLDER]
        for name in names:
            source = self._source(os.path.join(path, name))
            if source is not None:
                module.entries.append((name, source))
        self._parse(module, first=True)
        module.sources = [target for _block, target in module.local_sources()]
        module.has_terraform = bool(module.files)
        self.unload(module)
        return module

    def load(self, module: ModuleDir) -> None:
        """Parse the folder's files again (after :meth:`unload`)."""
        if not module.loaded:
            self._parse(module, first=False)

    def unload(self, module: ModuleDir) -> None:
        """Drop the folder's parsed files and declarations (its texts stay)."""
        module.clear()

    def _parse(self, module: ModuleDir, *, first: bool) -> None:
        tfvars: dict[str, HclFile] = {}
        for name, source in module.entries:
            parsed = parse(source)
            if parsed.error is not None:
                if first:
                    self._syntax_error(source, parsed)
                continue
            if is_tfvars(name):
                tfvars[name] = parsed
            else:
                module.add(parsed)
        auto = [tfvars[n] for n in AUTO_TFVARS if n in tfvars]
        auto += [tfvars[n] for n in sorted(tfvars) if n.endswith((".auto.tfvars", ".auto.tfvars.json"))]
        module.auto_tfvars = auto
        module.other_tfvars = [f for n, f in sorted(tfvars.items()) if f not in auto]
        module.loaded = True

    def _syntax_error(self, source: SourceFile, parsed: HclFile) -> None:
        """A file of the scan is reported as ``yaml-syntax`` (like a binary ``.tf``): the run
        fails, at the place, as for broken YAML. A folder only reached through a module call is
        not the scan's, so it gets a note."""
        link = _stored_link(source.text)
        if link is not None:
            self.notes.append(
                f"{source.display}: holds only the path {link!r}, a symbolic link checked out as a text file "
                "(git core.symlinks=false); the file is not read"
            )
        elif parsed.error_at is not None and source.path is not None and os.path.realpath(source.path) in self.scanned:
            message = parsed.error.split(": ", 1)[-1] if parsed.error else "HCL syntax error"
            source.issues.append(LoadIssue("yaml-syntax", parsed.error_at, f"{message}; the file is not read"))
        else:
            self.notes.append(f"{source.display}:{parsed.error}; the file is not read")

    def reach(self, module: ModuleDir) -> list[ModuleDir]:
        """``module`` and every folder of the scan it calls, transitively (each once)."""
        out: dict[str, ModuleDir] = {module.path: module}
        pending = [module]
        while pending:
            for target in pending.pop().sources:
                child = self.dirs.get(target)
                if child is not None and target not in out:
                    out[target] = child
                    pending.append(child)
        return list(out.values())

    def _source(self, path: str) -> SourceFile | None:
        real = os.path.realpath(path)
        found = self._by_path.get(real)
        if found is not None:
            return found
        try:
            source = read_file(Path(path), display_path(Path(path), self.cwd), max_bytes=self.max_bytes)
        except OSError:
            return None
        if source.issues or not source.text:
            return None
        self._by_path[real] = source
        return source

    def follow_calls(self) -> None:
        """Read the local modules the folders call (inside the project root), transitively."""
        pending = list(self.dirs.values())
        while pending:
            module = pending.pop()
            for target in module.sources:
                if target in self.dirs:
                    self.dirs[target].called = True
                    continue
                if not self.inside_root(target):
                    note = (
                        f"{module.display}: calls a local module outside the project root "
                        f"({display_path(Path(target), self.cwd)}); it is not read, its outputs are unknown"
                    )
                    if note not in self.notes:
                        self.notes.append(note)
                    continue
                if not os.path.isdir(target):
                    continue
                child = self.folder(target)
                if child is not None:
                    child.called = True
                    pending.append(child)

    def var_file(self, path: str) -> HclFile | None:
        """A ``--var-file``: read and parsed (a note when it cannot be)."""
        source = self._source(path)
        if source is None:
            self.notes.append(f"{path}: the var file cannot be read")
            return None
        parsed = parse(source)
        if parsed.error is not None:
            self.notes.append(f"{source.display}:{parsed.error}; the var file is not read")
            return None
        return parsed


def _stored_link(text: str) -> str | None:
    """The target, when ``text`` is a symbolic link git wrote as a plain file: one line, one
    path to a Terraform file, nothing HCL could mean."""
    target = text.strip()
    if "\n" in target or len(target) > 4096 or not is_terraform(target):
        return None
    if any(c.isspace() or c in '={}"#' for c in target):
        return None
    return target
