"""Notebooks and PyScript/Pyodide pages: positions, rewrites written back without touching anything else."""

from __future__ import annotations

import json
from typing import Any

from clerk_upgrade import check_text
from upgrade_support import parses

SETUP_CELL = ["%pip install clerk-frontend\n", "from clerk_frontend import Clerk\n", "\n",
              "clerk = Clerk(\"pk_test_x\")\n", "await clerk.load()"]
UPDATE_CELL = ["user = clerk.user\n",
               "await user.update(unsafe_metadata={**user.unsafe_metadata, \"theme\": \"dark\"})  # merge\n",
               "!echo done"]


def _notebook(indent: int = 1, **metadata: Any) -> dict[str, Any]:
    return {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Settings\n", "`user.update(unsafe_metadata=…)`"]},
            {"cell_type": "code", "execution_count": 1, "id": "a1", "metadata": {"tags": ["setup"]},
             "outputs": [{"output_type": "stream", "name": "stdout", "text": ["Successfully installed\n"]}],
             "source": SETUP_CELL},
            {"cell_type": "code", "execution_count": 2, "id": "b2", "metadata": {}, "outputs": [],
             "source": UPDATE_CELL},
            {"cell_type": "code", "execution_count": None, "id": "c3", "metadata": {}, "outputs": [],
             "source": "%%bash\necho update(unsafe_metadata=x)"},
            {"cell_type": "raw", "metadata": {}, "source": "await user.update(unsafe_metadata={})"},
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                     **metadata},
        "nbformat": 4, "nbformat_minor": 5,
    }


def _dump(document: dict[str, Any], indent: int = 1) -> str:
    return json.dumps(document, indent=indent, ensure_ascii=False) + "\n"


def test_notebook_names_flow_between_cells_and_round_trip() -> None:
    document = _notebook(extra={"café": "ünïcode"})
    text = _dump(document)
    result = check_text(text, "settings.ipynb")
    assert not result.errors
    assert [(f.cell, f.line, f.column, f.code, f.severity) for f in result.findings] == [
        (3, 2, 7, "CU101", "fix")]
    assert result.findings[0].location() == "settings.ipynb:cell 3:2:7"
    assert result.new_text is not None
    written = json.loads(result.new_text)
    expected = json.loads(text)
    expected["cells"][2]["source"][1] = "await user.update_metadata(unsafe_metadata={\"theme\": \"dark\"})  # merge\n"
    assert written == expected  # only that line changed: outputs, ids, metadata, magics, other cells kept
    # Same serialisation as the input (indent, key order, non-ASCII as is, final newline): one line differs.
    changed = [(a, b) for a, b in zip(text.splitlines(), result.new_text.splitlines(), strict=True) if a != b]
    assert len(changed) == 1
    assert "café" in result.new_text
    again = check_text(result.new_text, "settings.ipynb")
    assert again.new_text is None and again.findings == []


def test_notebook_layout_variants_are_kept() -> None:
    document = _notebook()
    for cell in document["cells"]:
        if isinstance(cell["source"], list):
            cell["source"] = "".join(cell["source"])  # sources as one string
    text = json.dumps(document, indent=2)  # two-space indent, ASCII escapes, no final newline
    result = check_text(text, "nb.ipynb")
    assert result.new_text is not None
    assert not result.new_text.endswith("\n")
    assert result.new_text.startswith('{\n  "cells"')
    cell = json.loads(result.new_text)["cells"][2]
    assert cell["source"] == ("user = clerk.user\n"
                              "await user.update_metadata(unsafe_metadata={\"theme\": \"dark\"})  # merge\n"
                              "!echo done")


def test_notebook_split_inside_a_cell_keeps_cells_apart() -> None:
    document = _notebook()
    document["cells"][2]["source"] = ["user = clerk.user\n",
                                      "await user.update(first_name=\"Ada\", unsafe_metadata={\"a\": 1})"]
    result = check_text(_dump(document), "nb.ipynb")
    assert result.new_text is not None
    cells = json.loads(result.new_text)["cells"]
    assert cells[1]["source"] == SETUP_CELL
    assert cells[2]["source"] == ["user = clerk.user\n", "await user.update(first_name=\"Ada\")\n",
                                  "await user.replace_metadata(unsafe_metadata={\"a\": 1})"]
    for cell in cells:
        if cell["cell_type"] == "code" and not "".join(cell["source"]).startswith("%%"):
            source = "".join(cell["source"])
            assert parses("\n".join(line for line in source.split("\n") if not line.startswith(("%", "!"))))


def test_notebook_of_another_language_is_skipped() -> None:
    document = _notebook()
    document["metadata"]["kernelspec"]["language"] = "R"
    document["metadata"]["language_info"] = {"name": "R"}
    result = check_text(_dump(document), "nb.ipynb")
    assert result.findings == [] and result.new_text is None and not result.errors


def test_bad_notebooks_are_errors_and_never_written() -> None:
    for text in ("{not json", json.dumps({"cells": "nope"})):
        result = check_text(text, "broken.ipynb")
        assert result.errors and result.new_text is None
    document = _notebook()
    document["cells"][1]["source"] = ["df = load()\n", "df?\n"]  # IPython help syntax: not Python
    result = check_text(_dump(document), "nb.ipynb")
    assert str(result.errors[0]).startswith("nb.ipynb:cell 2:2:")
    assert result.new_text is None  # the fixable cell 3 is not written either: the file is left untouched


PAGE = """<!doctype html>
<html>
<head>
<script src="/pyscript/core.js" type="module"></script>
<script type="module">
  const pyodide = await loadPyodide();
  await pyodide.runPythonAsync("import clerk_frontend as f\\nc = f.Clerk('k')\\nc.user.update(unsafe_metadata={})");
  pyodide.runPython(`
from clerk_frontend import Clerk
c = Clerk("pk")
c.user.update(unsafe_metadata={**c.user.unsafe_metadata, "b": 2})
`);
  pyodide.runPython("print('x' + " + name + ")");
</script>
</head>
<body>
  <!-- <script type="py">await user.update(unsafe_metadata={})</script> -->
  <main>
    <script type="py" config="/pyscript.json">
      from clerk_frontend import Clerk
      clerk = Clerk("pk_test_x")
      await clerk.load()

      async def save(event):
          user = clerk.user
          # name and theme together
          await user.update(first_name="Ada", unsafe_metadata={"theme": "dark"})
    </script>
    <script type="py" src="./main.py"></script>
  </main>
  <py-script>
from clerk_frontend import Clerk
c = Clerk("pk")
await c.user.update(unsafe_metadata={"x": 1 if 2 &lt; 3 else 0})
  </py-script>
  <py-script>
from clerk_frontend import Clerk
c = Clerk("pk")
await c.user.update(unsafe_metadata={**c.user.unsafe_metadata, "y": 1})
</py-script>
</body>
</html>
"""


def test_html_page() -> None:
    result = check_text(PAGE, "page.html")
    assert not result.errors
    lines = PAGE.split("\n")
    found = [(f.line, f.column, f.code, f.severity) for f in result.findings]
    assert found == [
        (7, lines[6].index("c.user.update") + 1, "CU102", "manual"),   # runPythonAsync string: reported only
        (11, 1, "CU101", "manual"),                                          # template literal string
        (27, 17, "CU102", "fix"),                                            # <script type="py">, dedented
        (34, 7, "CU102", "manual"),                                          # <py-script> holding &lt;
        (39, 7, "CU101", "fix"),                                             # plain <py-script>
    ]
    assert "pyodide.runPython" in result.findings[0].message and "not rewritten" in result.findings[0].message
    assert result.new_text is not None
    new_lines = result.new_text.split("\n")
    assert new_lines[:26] == lines[:26]  # JavaScript, the commented-out script and the page around: untouched
    assert new_lines[26:28] == ['          await user.update(first_name="Ada")',
                                '          await user.replace_metadata(unsafe_metadata={"theme": "dark"})']
    assert new_lines[28:39] == lines[27:38]
    assert new_lines[39] == 'await c.user.update_metadata(unsafe_metadata={"y": 1})'
    assert new_lines[40:] == lines[39:]
    again = check_text(result.new_text, "page.html")
    assert again.new_text is None
    assert [f.code for f in again.findings if f.severity != "manual"] == []


def test_html_script_that_does_not_parse_is_an_error() -> None:
    page = '<script type="py">\nclerk.user.update(unsafe_metadata={"a": 1}\n</script>\n'
    result = check_text(page, "bad.html")
    assert result.errors and (result.errors[0].line, result.errors[0].column) == (2, 18)
    assert "was never closed" in result.errors[0].message
    assert result.new_text is None


def test_page_scripts_share_names_but_workers_do_not() -> None:
    page = """<body>
<script type="py">
from clerk_frontend import Clerk
clerk = Clerk("pk_test_x")
</script>
<p>between</p>
<script type="py">
    await clerk.user.update(unsafe_metadata={"a": 1})
</script>
<script type="py" worker>
    await clerk.user.update(unsafe_metadata={"b": 2})
</script>
</body>
"""
    result = check_text(page, "page.html")
    assert [(f.line, f.column, f.code) for f in result.findings] == [(8, 11, "CU102"), (11, 11, "CU401")]
    assert result.new_text == page.replace('await clerk.user.update(unsafe_metadata={"a": 1})',
                                           'await clerk.user.replace_metadata(unsafe_metadata={"a": 1})')
