"""A file pulled in on demand for some of its names only is summarized trimmed to them
(lintlock.trim): asserted on the trimmed bytes and on the functions summarized, never on time."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from lintlock import pipeline
from lintlock.config import Settings
from lintlock.demand import ATTRIBUTE, Learned, Vocabulary
from lintlock.knowledge import knowledge_for
from lintlock.pipeline import load, run
from lintlock.store import SummaryStore
from lintlock.trim import trimmed

APP = "import threading\nfrom generated import handler_5\n\n\nclass App:\n    def __init__(self):\n        self._lock = threading.Lock()\n\n    def run(self):\n        with self._lock:\n            return handler_5(1, 2)\n"


def generated(count: int = 20, broken: int = -1) -> str:
    """Many handlers calling one helper, as a code generator writes them; `broken`: a handler with a syntax error."""
    parts = ["import enum\n\n\ndef helper(x, tag):\n    return tag\n"]
    for i in range(count):
        body = "return y +" if i == broken else f"return y + {i}"
        parts.append(
            f"\n\n@enum.unique\nclass Kind{i}(enum.Enum):\n    A = {i}\n\n\ndef handler_{i}(x, y):\n    if x > {i}:\n        {body}\n    return helper(x, '{i}')\n"
        )
    return "".join(parts)


def write(root: Path, files: dict) -> None:
    for name, text in files.items():
        (root / name).write_text(text)


def functions(root: Path, name: str, settings: Optional[Settings] = None) -> set:
    loaded = load([str(root)], settings or Settings())
    return {f.qualname for f in loaded.summaries[str(root / name)].functions}


def test_trimmed_blanks_the_definitions_not_needed_and_keeps_every_line_where_it_was():
    source = generated(3).encode()
    cut = trimmed(source, {"handler_1"})
    assert cut is not None
    assert cut.left_out == {"handler_0", "handler_2", "Kind0", "Kind1", "Kind2"}
    assert cut.data.count(b"\n") == source.count(b"\n")
    kept = [line for line in cut.data.decode().splitlines() if line]
    # the statements at the top, the needed function and the helper it mentions (decorated classes go whole)
    assert kept == [
        "import enum",
        "def helper(x, tag):",
        "    return tag",
        "def handler_1(x, y):",
        "    if x > 1:",
        "        return y + 1",
        "    return helper(x, '1')",
    ]
    lines = source.decode().splitlines()
    assert all(line == lines[number] for number, line in enumerate(cut.data.decode().splitlines()) if line)


def test_a_class_needed_is_kept_whole_with_what_its_body_and_bases_mention():
    source = b"class Base:\n    pass\n\n\nclass Child(Base):\n    def m(self):\n        return make()\n\n\ndef make():\n    pass\n\n\ndef other():\n    pass\n"
    cut = trimmed(source, {"Child"})
    assert cut is not None and cut.left_out == {"other"}
    assert cut.data.decode().splitlines()[-2:] == ["", ""]


def test_a_statement_at_the_top_keeps_the_definitions_it_mentions():
    source = b"def registered():\n    pass\n\n\ndef unused():\n    pass\n\n\nHANDLERS = {'x': registered}\n"
    cut = trimmed(source, set())
    assert cut is not None and cut.left_out == {"unused"}


def test_nothing_to_leave_out_or_a_file_cpython_rejects_is_not_trimmed():
    assert trimmed(b"def f():\n    g()\n\n\ndef g():\n    pass\n", {"f"}) is None
    assert trimmed(b"def f():\n    pass\n\n\ndef g(:\n    pass\n", {"f"}) is None


def test_crlf_lines_and_a_byte_order_mark_stay():
    source = b"\xef\xbb\xbfdef a():\r\n    pass\r\n\r\ndef b():\r\n    pass\r\n"
    cut = trimmed(source, {"b"})
    assert cut is not None and cut.data == b"\xef\xbb\xbf\r\n\r\n\r\ndef b():\r\n    pass\r\n"


def test_a_file_needed_for_one_function_is_summarized_for_it_and_what_it_calls_only(tmp_path):
    write(tmp_path, {"app.py": APP, "generated.py": generated()})
    assert functions(tmp_path, "generated.py") == {"generated.handler_5", "generated.helper", "generated.<module>"}


def test_full_summarizes_the_whole_file(tmp_path):
    write(tmp_path, {"app.py": APP, "generated.py": generated()})
    assert {f"generated.handler_{i}" for i in range(20)} <= functions(tmp_path, "generated.py", Settings(full=True))


def test_a_name_needed_in_a_later_round_summarizes_the_file_again_with_it(tmp_path):
    # gen.first is needed first; what it calls (other.back) calls gen.later, needed a round later
    files = {
        "app.py": "import threading\nimport gen\n\nLOCK = threading.Lock()\n\n\ndef work():\n    with LOCK:\n        gen.first()\n",
        "gen.py": "import other\n\n\ndef first():\n    other.back()\n\n\ndef later():\n    pass\n\n\ndef unused():\n    pass\n",
        "other.py": "import gen\n\n\ndef back():\n    gen.later()\n\n\ndef unrelated():\n    pass\n",
    }
    write(tmp_path, files)
    assert functions(tmp_path, "gen.py") == {"gen.first", "gen.later", "gen.<module>"}
    assert functions(tmp_path, "other.py") == {"other.back", "other.<module>"}


def test_a_file_saying_a_learned_name_is_summarized_whole(tmp_path):
    # util says `_mu`, an attribute learned to hold a lock: all of its code can take it
    files = {
        "app.py": "import threading\nimport util\n\n\nclass App:\n    def __init__(self):\n        self._mu = threading.Lock()\n\n    def run(self):\n        with self._mu:\n            util.touch(self)\n",
        "util.py": "def touch(app):\n    pass\n\n\ndef grab(app):\n    with app._mu:\n        pass\n\n\ndef unrelated():\n    pass\n",
    }
    write(tmp_path, files)
    assert functions(tmp_path, "util.py") == {"util.touch", "util.grab", "util.unrelated", "util.<module>"}


def test_a_syntax_error_in_code_a_trimmed_file_leaves_out_is_still_reported(tmp_path):
    write(tmp_path, {"app.py": APP, "generated.py": generated(broken=12)})
    findings = [(os.path.basename(f.path), f.line, f.code) for f in run([str(tmp_path)], Settings()).findings]
    line = generated(broken=12).splitlines().index("        return y +") + 1
    assert findings == [("generated.py", line, "LL001")]


def test_a_trimmed_summary_from_the_cache_is_the_same(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    write(project, {"app.py": APP, "generated.py": generated()})
    settings = Settings(cache_dir=str(tmp_path / "cache"))
    first = functions(project, "generated.py", settings)
    assert functions(project, "generated.py", settings) == first == {"generated.handler_5", "generated.helper", "generated.<module>"}
    assert {f"generated.handler_{i}" for i in range(20)} <= functions(project, "generated.py", Settings(cache_dir=str(tmp_path / "cache"), full=True))


def test_a_trimmed_file_saying_a_name_learned_later_is_summarized_whole(tmp_path):
    # the learned-name scan still reads a trimmed file's whole bytes: what it left out may take the lock
    write(tmp_path, {"generated.py": generated(3) + "\n\ndef grab(box):\n    with box.gate:\n        pass\n"})
    settings = Settings()
    gathered = pipeline._gather([str(tmp_path)], settings, None)
    path = str(tmp_path / "generated.py")
    with SummaryStore(pipeline._cache(settings), 1) as store:
        parser = pipeline._Parser(gathered, store, knowledge_for([], ()), None)
        parser.parse([path], {path: {"handler_1"}})
        summarized = {f.qualname for f in parser.results[path].summary.functions}
        assert summarized == {"generated.handler_1", "generated.helper", "generated.<module>"}
        found = parser.unparsed(Vocabulary(learned=[Learned("gate", ATTRIBUTE)], base=False))
        assert found == {path}
        parser.parse(found)
        assert {"generated.grab", "generated.handler_0", "generated.handler_2"} <= {f.qualname for f in parser.results[path].summary.functions}
