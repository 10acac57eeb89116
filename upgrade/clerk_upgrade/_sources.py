"""Python code inside files: plain modules, Jupyter notebooks and PyScript/Pyodide HTML pages.

Each file becomes *segments* of Python source. A segment knows how to map its positions back to the file, and
whether it may be rewritten; the file knows how to put rewritten segments back without touching anything else.
"""

from __future__ import annotations

import difflib
import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

__all__ = ["FileFormatError", "Segment", "SourceFile", "load_source"]


class FileFormatError(Exception):
    """The file's container (notebook JSON, HTML) cannot be read; nothing is written."""


@dataclass
class Segment:
    """Python source found in a file.

    ``lines``: for each line of ``code`` (0-based), the file line (1-based) and the column offset to add.
    ``cells``: notebook cell number for each line (None outside notebooks). ``note`` prefixes messages.
    """

    code: str
    fixable: bool = True
    note: str | None = None
    lines: list[tuple[int, int]] = field(default_factory=list)
    cells: list[int | None] = field(default_factory=list)

    def position(self, line: int, column: int) -> tuple[int | None, int, int]:
        """(cell, file line, 1-based column) of a 1-based line and 0-based column of ``code``."""
        index = min(max(line - 1, 0), max(len(self.lines) - 1, 0))
        if not self.lines:
            return None, line, column + 1
        file_line, offset = self.lines[index]
        cell = self.cells[index] if self.cells else None
        return cell, file_line, column + offset + 1


class SourceFile:
    """A file as Python segments; :meth:`render` rebuilds its text from rewritten segment code."""

    def __init__(self, text: str, segments: list[Segment]) -> None:
        self.text = text
        self.segments = segments

    def render(self, new_codes: list[str]) -> str:
        """The whole file with each segment's code replaced (same order as ``segments``)."""
        return new_codes[0] if new_codes else self.text


def _identity_lines(code: str, first_line: int = 1, first_offset: int = 0, offset: int = 0
                    ) -> list[tuple[int, int]]:
    count = code.count("\n") + 1
    return [(first_line + i, first_offset if i == 0 else offset) for i in range(count)]


def load_source(path_name: str, text: str) -> SourceFile:
    """Split ``text`` by the file's kind (from its name). Raises :class:`FileFormatError`."""
    lower = path_name.lower()
    if lower.endswith(".ipynb"):
        return Notebook(text)
    if lower.endswith((".html", ".htm")):
        return HtmlPage(text)
    return SourceFile(text, [Segment(text, lines=_identity_lines(text))])


# -- notebooks ---------------------------------------------------------------------------------------------------

_CELL_MARK = "# clerk-upgrade:cell {}"
_CELL_RE = re.compile(r"^# clerk-upgrade:cell (\d+)\r?\n", re.MULTILINE)
_MAGIC_MARK = "# clerk-upgrade:magic {}"
_MAGIC_RE = re.compile(r"^([ \t]*)# clerk-upgrade:magic (\d+)$", re.MULTILINE)
# IPython line magics and shell escapes (``%pip install x``, ``!ls``, ``files = !ls``): not Python.
_MAGIC_LINE = re.compile(r"^[ \t]*(?:[%!]|[\w.]+(?:[ \t]*,[ \t]*[\w.]+)*[ \t]*=[ \t]*[%!])")


def _cell_text(source: Any) -> str:
    if isinstance(source, list):
        return "".join(str(part) for part in source)
    if isinstance(source, str):
        return source
    raise FileFormatError("a cell's source is neither a string nor a list of strings")


class Notebook(SourceFile):
    """A Jupyter notebook: all Python code cells form one segment, so names flow between cells as they do
    when the notebook runs top to bottom. Cell magics (``%%…``) are skipped, line magics masked."""

    def __init__(self, text: str) -> None:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FileFormatError(f"not a valid notebook (JSON error at line {exc.lineno}: {exc.msg})") from None
        if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
            raise FileFormatError("not a valid notebook (no 'cells' list)")
        self.document = document
        self.indent = _json_indent(text)
        self.trailing_newline = text.endswith("\n")
        self.magics: list[str] = []
        self.cell_indexes: list[int] = []
        language = _notebook_language(document)
        parts: list[str] = []
        lines: list[tuple[int, int]] = []
        cells: list[int | None] = []
        if language in (None, "python"):
            for index, cell in enumerate(document["cells"]):
                if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                    continue
                source = _cell_text(cell.get("source", ""))
                if source.lstrip().startswith("%%"):
                    continue
                masked = self._mask(source)
                if not masked.endswith("\n"):
                    masked += "\n"
                parts.append(_CELL_MARK.format(index) + "\n")
                lines.append((0, 0))
                cells.append(index + 1)
                parts.append(masked)
                for number in range(masked.count("\n")):
                    lines.append((number + 1, 0))
                    cells.append(index + 1)
                self.cell_indexes.append(index)
        code = "".join(parts)
        lines.append(lines[-1] if lines else (1, 0))
        cells.append(cells[-1] if cells else None)
        super().__init__(text, [Segment(code, lines=lines, cells=cells)])

    def _mask(self, source: str) -> str:
        out = []
        for line in source.splitlines(keepends=True):
            body = line.rstrip("\r\n")
            if _MAGIC_LINE.match(body):
                indent = body[: len(body) - len(body.lstrip())]
                out.append(indent + _MAGIC_MARK.format(len(self.magics)) + line[len(body):])
                self.magics.append(body.lstrip())
            else:
                out.append(line)
        return "".join(out)

    def render(self, new_codes: list[str]) -> str:
        code = new_codes[0]
        pieces = _CELL_RE.split(code)
        # pieces: [prefix, index, text, index, text, ...]
        texts: dict[int, str] = {}
        for i in range(1, len(pieces), 2):
            texts[int(pieces[i])] = pieces[i + 1]
        if sorted(texts) != sorted(self.cell_indexes) or pieces[0].strip():
            raise FileFormatError("internal error: cell boundaries were lost in the rewrite; notebook not written")
        for index, new_text in texts.items():
            cell = self.document["cells"][index]
            original = _cell_text(cell.get("source", ""))
            restored = _MAGIC_RE.sub(lambda m: m.group(1) + self.magics[int(m.group(2))], new_text)
            if not original.endswith("\n") and restored.endswith("\n"):
                restored = restored[:-1]
            if restored == original:
                continue
            if isinstance(cell.get("source"), list):
                cell["source"] = restored.splitlines(keepends=True)
            else:
                cell["source"] = restored
        out = json.dumps(self.document, indent=self.indent, ensure_ascii=False)
        return out + ("\n" if self.trailing_newline else "")


def _json_indent(text: str) -> int | None:
    match = re.search(r"^\{\r?\n( +)\"", text)
    return len(match.group(1)) if match else (1 if "\n" in text.strip() else None)


def _notebook_language(document: dict[str, Any]) -> str | None:
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return None
    for key, sub in (("kernelspec", "language"), ("language_info", "name")):
        value = metadata.get(key)
        if isinstance(value, dict) and isinstance(value.get(sub), str):
            return str(value[sub]).lower()
    return None


# -- HTML pages ---------------------------------------------------------------------------------------------------

_PY_SCRIPT_TYPES = {"py", "py-editor", "pyodide"}
_BLOCK_MARK = "# clerk-upgrade:script {}"
_BLOCK_RE = re.compile(r"^# clerk-upgrade:script (\d+)\r?\n", re.MULTILINE)
_PY_ELEMENTS = {"py-script", "py-repl"}
_RUN_PYTHON = re.compile(r"\.runPython(?:Async)?\s*\(\s*")


@dataclass
class _Block:
    start: int          # offset of the content in the page
    end: int
    kind: str           # "python" | "js"
    escaped: bool = False
    worker: bool = False  # runs in its own interpreter (PyScript's worker attribute)


class _PageScanner(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self.blocks: list[_Block] = []
        self._open: tuple[str, str, int, bool] | None = None  # (tag, kind, content start, worker)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._open is not None:
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        start = self._offset() + len(self.get_starttag_text() or "")
        worker = "worker" in values
        if tag == "script":
            script_type = values.get("type", "").strip().lower()
            if "src" in values:
                self._open = (tag, "skip", start, worker)
            elif script_type in _PY_SCRIPT_TYPES:
                self._open = (tag, "python", start, worker)
            elif script_type in ("", "module", "text/javascript", "application/javascript"):
                self._open = (tag, "js", start, worker)
            else:
                self._open = (tag, "skip", start, worker)
        elif tag in _PY_ELEMENTS:
            self._open = (tag, "skip" if "src" in values else "python", start, worker)

    def handle_endtag(self, tag: str) -> None:
        if self._open is None or tag != self._open[0]:
            return
        _, kind, start, worker = self._open
        self._open = None
        end = self._offset()
        if kind == "skip":
            return
        content = self.text[start:end]
        escaped = tag != "script" and ("&" in content or "<" in content)
        self.blocks.append(_Block(start, end, kind, escaped, worker))


class HtmlPage(SourceFile):
    """An HTML page: ``<script type="py">`` / ``<py-script>`` bodies (rewritable, dedented as PyScript does),
    and ``pyodide.runPython(…)`` / ``runPythonAsync(…)`` string literals in JavaScript (report only).

    The page's scripts share one interpreter in PyScript (a name bound in one is seen by the next), so they
    are analysed together as one segment; ``worker`` scripts run alone and are analysed alone.
    """

    def __init__(self, text: str) -> None:
        scanner = _PageScanner(text)
        try:
            scanner.feed(text)
            scanner.close()
        except Exception as exc:  # HTMLParser is lenient; anything it raises means a page we cannot map
            raise FileFormatError(f"cannot scan the HTML: {exc}") from None
        self.line_starts = scanner.line_starts
        # (segment index, blocks with their indentation) for each rewritable segment.
        self.editable: list[tuple[int, list[tuple[_Block, str]]]] = []
        segments: list[Segment] = []
        shared: list[tuple[_Block, str, str, list[tuple[int, int]]]] = []
        for block in scanner.blocks:
            content = text[block.start:block.end]
            if block.kind != "python":
                segments.extend(self._run_python_segments(text, block))
                continue
            code, indent = _dedent(html.unescape(content) if block.escaped else content)
            lines = self._block_lines(block, content, indent)
            if block.escaped:
                segments.append(Segment(code, fixable=False, lines=lines,
                                        note="in a <py-script> element holding HTML entities (not rewritten)"))
            elif block.worker:
                self.editable.append((len(segments), [(block, indent)]))
                segments.append(Segment(code, lines=lines))
            else:
                shared.append((block, indent, code, lines))
        if shared:
            parts: list[str] = []
            merged: list[tuple[int, int]] = []
            for number, (_, _, code, block_lines) in enumerate(shared):
                parts.append(_BLOCK_MARK.format(number) + "\n")
                merged.append((0, 0))
                body = code if code.endswith("\n") else code + "\n"
                parts.append(body)
                merged.extend(block_lines[: body.count("\n")])
            merged.append(merged[-1])
            self.editable.append((len(segments), [(block, indent) for block, indent, _, _ in shared]))
            segments.append(Segment("".join(parts), lines=merged))
        super().__init__(text, segments)

    def _block_lines(self, block: _Block, content: str, indent: str) -> list[tuple[int, int]]:
        line, column = self._line_col(block.start)
        lines = []
        for i, raw in enumerate(content.split("\n")):
            stripped = len(indent) if raw.startswith(indent) else 0
            lines.append((line + i, (column if i == 0 else 0) + stripped))
        return lines

    def _line_col(self, offset: int) -> tuple[int, int]:
        import bisect
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index]

    def _run_python_segments(self, text: str, block: _Block) -> list[Segment]:
        out = []
        js = text[block.start:block.end]
        for match in _RUN_PYTHON.finditer(js):
            literal = _js_string(js, match.end())
            if literal is None:
                continue
            code, offsets = literal
            lines: list[tuple[int, int]] = []
            line_start = 0
            for i, ch in enumerate(code + "\n"):
                if i == line_start:
                    file_line, file_col = self._line_col(block.start + match.end() + offsets[min(i, len(offsets) - 1)])
                    lines.append((file_line, file_col))
                if ch == "\n":
                    line_start = i + 1
            out.append(Segment(code, fixable=False, lines=lines,
                               note="in a pyodide.runPython() string (not rewritten: edit the string)"))
        return out

    def render(self, new_codes: list[str]) -> str:
        replacements: list[tuple[_Block, str, str]] = []
        for index, blocks in self.editable:
            code = new_codes[index]
            if len(blocks) == 1 and not code.startswith(_BLOCK_MARK.format(0)):
                replacements.append((blocks[0][0], blocks[0][1], code))
                continue
            pieces = _BLOCK_RE.split(code)
            texts = {int(pieces[i]): pieces[i + 1] for i in range(1, len(pieces), 2)}
            if sorted(texts) != list(range(len(blocks))) or pieces[0].strip():
                raise FileFormatError("internal error: script boundaries were lost in the rewrite; page not written")
            for number, (block, indent) in enumerate(blocks):
                original = _dedent(self.text[block.start:block.end])[0]
                new = texts[number]
                if not original.endswith("\n") and new.endswith("\n"):
                    new = new[:-1]
                replacements.append((block, indent, new))
        out = self.text
        for block, indent, code in sorted(replacements, key=lambda item: item[0].start, reverse=True):
            original = self.text[block.start:block.end]
            if _dedent(original)[0] == code:
                continue
            out = out[:block.start] + _reindent(original, code, indent) + out[block.end:]
        return out


def _dedent(content: str) -> tuple[str, str]:
    """Remove the common leading whitespace of the non-blank lines (what PyScript does to a script)."""
    lines = content.split("\n")
    indents = [line[: len(line) - len(line.lstrip(" \t"))] for line in lines if line.strip()]
    prefix = indents[0] if indents else ""
    for indent in indents[1:]:
        while not indent.startswith(prefix):
            prefix = prefix[:-1]
    return "\n".join(line[len(prefix):] if line.startswith(prefix) else line.lstrip(" \t") for line in lines), prefix


def _reindent(original: str, code: str, prefix: str) -> str:
    """The new script text: lines the rewrite kept are copied from the page as they were (whitespace-only
    lines and the indentation before the closing tag included); new lines get the script's indentation."""
    raw = original.split("\n")
    old = _dedent(original)[0].split("\n")
    new = code.split("\n")
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(raw[i1:i2])
        else:
            out.extend(prefix + line if line.strip() else line for line in new[j1:j2])
    return "\n".join(out)


_JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0",
               "'": "'", '"': '"', "\\": "\\", "`": "`", "\n": ""}


def _js_string(js: str, start: int) -> tuple[str, list[int]] | None:
    """Decode the JavaScript string literal at ``start``; returns the text and, per character, its offset
    relative to ``start``. None for anything but a plain literal (template substitutions included)."""
    if start >= len(js) or js[start] not in "'\"`":
        return None
    quote = js[start]
    out: list[str] = []
    offsets: list[int] = []
    i = start + 1
    while i < len(js):
        ch = js[i]
        if ch == quote:
            rest = js[i + 1:].lstrip()
            if not rest.startswith((")", ",")):
                return None  # "..." + more: not a single literal
            return "".join(out), offsets
        if quote == "`" and js.startswith("${", i):
            return None
        if ch == "\n" and quote != "`":
            return None
        if ch == "\\" and i + 1 < len(js):
            nxt = js[i + 1]
            if nxt == "u" and re.match(r"[0-9a-fA-F]{4}", js[i + 2:i + 6]):
                out.append(chr(int(js[i + 2:i + 6], 16)))
                offsets.append(i - start)
                i += 6
                continue
            if nxt == "x" and re.match(r"[0-9a-fA-F]{2}", js[i + 2:i + 4]):
                out.append(chr(int(js[i + 2:i + 4], 16)))
                offsets.append(i - start)
                i += 4
                continue
            decoded = _JS_ESCAPES.get(nxt, nxt)
            if decoded:
                out.append(decoded)
                offsets.append(i - start)
            i += 2
            continue
        out.append(ch)
        offsets.append(i - start)
        i += 1
    return None
