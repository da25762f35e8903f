"""One resolver, one pointer codec (issue #10): outside app/core/schema/ and app/core/pointers.py
no module escapes JSON pointers or follows a ``$ref`` by itself.

Every module under app/ is parsed with `ast` (nothing is imported) and four rules are checked;
the tests below show each one catching a planted example, and letting the allowed patterns by.

(a) escaping: a string constant holding RFC 6901's escapes ``~0``/``~1`` (docstrings aside);
(b) a function named like a codec or a resolver (escape, unescape, split_pointer, to_pointer,
    lookup, resolve, deref…) that splits a pointer or a URI, descends a pointer step by step,
    or reads a reference keyword without handing the node to a document's ``.resolve``;
(c) any function that reads a reference keyword's value (``node["$ref"]``, ``.get("$ref")``)
    and walks a pointer, itself or through a function of its own module that does;
(d) an import of `referencing` or `jsonschema_specifications` outside app/core/schema/ and
    app/core/validation.py (the validator builds its registry from them).

Reading the keyword ``$ref`` to build a reference node and resolving it through
``SchemaDocument.resolve`` (app/core/compatibility/refs.py and model.py) is what everyone should
do, and passes.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
EXEMPT = ("app/core/schema/", "app/core/pointers.py")
MAY_IMPORT_REFERENCING = ("app/core/schema/", "app/core/validation.py")
REFERENCING = ("referencing", "jsonschema_specifications")
REFERENCE_WORDS = frozenset({"$ref", "$dynamicRef", "$recursiveRef"})
ESCAPES = re.compile(r"~[01]")
CODEC_NAME = re.compile(
    r"^_*(un)?esc(ape)?(_\w+)?$|^_*(split|to|join|parse)_pointer$"
    r"|^_*(lookup|resolve|deref|dereference)(_\w+)?$"
)
# Calls that split a JSON pointer or a reference's URI into parts.
SPLITTERS = frozenset({"split_pointer", "urldefrag", "urljoin", "urlsplit", "unquote"})
# Handing a node to the document (SchemaDocument.resolve/locate, or app.core.references).
DELEGATES = frozenset({"resolve", "locate", "targets", "follow", "target_of"})


@dataclass(frozen=True)
class Violation:
    rule: str
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: ({self.rule}) {self.what}"


def scan(source: str, path: str) -> list[Violation]:
    """Every violation of rules (a) to (d) in one module's source; path is relative to the repo."""
    if path.startswith(EXEMPT):
        return []
    tree = ast.parse(source, path)
    module = _Module(tree)
    found = [Violation("a", path, n.lineno, f"pointer escape {n.value!r}") for n in module.escapes]
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    walkers = {fn.name for fn in functions if module.splits(fn) or module.descends(fn)}
    for fn in functions:
        found += _function_violations(fn, module, walkers, path)
    if not path.startswith(MAY_IMPORT_REFERENCING):
        found += [Violation("d", path, line, f"imports {name}") for line, name in _imports(tree)]
    return found


def _function_violations(fn, module: _Module, walkers: set[str], path: str) -> list[Violation]:
    found = []
    walks = module.splits(fn) or module.descends(fn)
    if CODEC_NAME.match(fn.name) and (
        walks
        or any(module.is_escape(n) for n in ast.walk(fn))
        or (module.reads_reference(fn) and not _delegates(fn))
    ):
        found.append(Violation("b", path, fn.lineno, f"{fn.name}() is a second codec/resolver"))
    if _reads_reference_value(fn) and (walks or _calls(fn) & (walkers - {fn.name})):
        found.append(Violation("c", path, fn.lineno, f"{fn.name}() follows a $ref by itself"))
    return found


class _Module:
    """What the rules need to know about one module: its docstrings, its escape constants and
    the module-level collections that hold reference keywords (``_REFS = ("$ref", …)``)."""

    def __init__(self, tree: ast.Module) -> None:
        self.docstrings = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        self.escapes = [node for node in ast.walk(tree) if self.is_escape(node)]
        self.word_lists = {
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name) and _strings(node.value) & REFERENCE_WORDS
        }

    def is_escape(self, node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in self.docstrings
            and bool(ESCAPES.search(node.value))
        )

    def reads_reference(self, fn: ast.AST) -> bool:
        for node in ast.walk(fn):
            if isinstance(node, ast.Constant) and node.value in REFERENCE_WORDS:
                return True
            if isinstance(node, ast.Name) and node.id in self.word_lists:
                return True
        return False

    @staticmethod
    def splits(fn: ast.AST) -> bool:
        for node in ast.walk(fn):
            if not isinstance(node, ast.Call):
                continue
            if _name_of(node.func) in SPLITTERS:
                return True
            method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if method in ("split", "rsplit", "partition") and args[:1] in (["/"], ["#"]):
                return True
            if method in ("lstrip", "removeprefix") and args[:1] == ["#"]:
                return True
        return False

    @staticmethod
    def descends(fn: ast.AST) -> bool:
        """A loop that steps down one level per token: ``node = node[token]``/``node.get(…)``."""
        loops = [n for n in ast.walk(fn) if isinstance(n, ast.For | ast.While)]
        return any(_steps_down(node) for loop in loops for node in ast.walk(loop))


def _steps_down(node: ast.AST) -> bool:
    if not isinstance(node, ast.Assign) or len(node.targets) != 1:
        return False
    target, value = node.targets[0], node.value
    if not isinstance(target, ast.Name):
        return False
    if isinstance(value, ast.Subscript):
        return isinstance(value.value, ast.Name) and value.value.id == target.id
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
        owner = value.func.value
        return value.func.attr == "get" and isinstance(owner, ast.Name) and owner.id == target.id
    return False


def _reads_reference_value(fn: ast.AST) -> bool:
    """``x["$ref"]`` or ``x.get("$ref")`` (any reference keyword) somewhere in fn."""
    for node in ast.walk(fn):
        if isinstance(node, ast.Subscript) and _is_word(node.slice):
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
            and _is_word(node.args[0])
        ):
            return True
    return False


def _is_word(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value in REFERENCE_WORDS


def _delegates(fn: ast.AST) -> bool:
    # self.resolve(...) inside a method named resolve is recursion, not delegation.
    for node in ast.walk(fn):
        if not isinstance(node, ast.Call) or _name_of(node.func) not in DELEGATES:
            continue
        owner = node.func.value if isinstance(node.func, ast.Attribute) else None
        if not (isinstance(owner, ast.Name) and owner.id == "self"):
            return True
    return False


def _calls(fn: ast.AST) -> set[str]:
    return {_name_of(node.func) for node in ast.walk(fn) if isinstance(node, ast.Call)}


def _name_of(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _strings(node: ast.AST) -> set[str]:
    return {
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def _imports(tree: ast.Module) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found += [(node.lineno, n) for n in names if n.split(".")[0] in REFERENCING]
    return found


def app_modules() -> dict[str, str]:
    root = APP.parent
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(APP.rglob("*.py"))
    }


def test_no_second_resolver_or_pointer_codec_in_app():
    found = [str(v) for path, source in app_modules().items() for v in scan(source, path)]
    assert found == []


def test_the_scan_sees_the_modules_that_read_the_reference_keyword():
    # Guards the test above against passing because it looked in the wrong place.
    modules = app_modules()
    assert len(modules) > 100
    refs = modules["app/core/compatibility/refs.py"]
    assert _Module(ast.parse(refs)).word_lists == {"REF_KEYS"}
    escaped = 'def esc(t):\n    return t.replace("~", "~0")\n'
    assert scan(escaped, "app/core/pointers.py") == []  # the codec itself
    assert [v.rule for v in scan(escaped, "app/ui/fields.py")] == ["a", "b"]


# The resolvers and codecs issue #10 removed, and other ways to write a second one.
PLANTED = {
    "an escape function": (
        'def escape(token):\n    return token.replace("~", "~0").replace("/", "~1")\n',
        {"a", "b"},
    ),
    "an inline unescape": (
        'def tokens(pointer):\n    return [p.replace("~1", "/") for p in pointer.split("/")]\n',
        {"a"},
    ),
    "a translation table": ('TABLE = str.maketrans({"~": "~0", "/": "~1"})\n', {"a"}),
    "a local lookup (the old analysis walker)": (
        "def _lookup(root, ref):\n"
        "    node = root\n"
        '    for token in ref[1:].split("/")[1:]:\n'
        "        node = node[token]\n"
        "    return node\n",
        {"b"},
    ),
    "a resolver with its lookup (the old UI table)": (
        "from app.core.pointers import split_pointer\n"
        "def _resolve(root, node):\n"
        '    while isinstance(node.get("$ref"), str):\n'
        '        node = _lookup(root, node["$ref"][1:])\n'
        "    return node\n"
        "def _lookup(root, pointer):\n"
        "    for part in split_pointer(pointer):\n"
        "        root = root.get(part)\n"
        "    return root\n",
        {"b", "c"},
    ),
    "a resolver reading the keyword through a module list": (
        'REFS = ("$ref", "$dynamicRef")\n'
        "def resolve(root, node):\n"
        "    for word in REFS:\n"
        "        if word in node:\n"
        "            return root[node[word]]\n"
        "    return node\n",
        {"b"},
    ),
    "a walk through a $ref under another name": (
        "def fields_of(root, node):\n"
        '    ref = node.get("$ref")\n'
        "    target = root\n"
        '    for token in ref.lstrip("#").split("/")[1:]:\n'
        "        target = target[token]\n"
        "    return target\n",
        {"c"},
    ),
    "importing referencing": ("import referencing.jsonschema\n", {"d"}),
    "importing the bundled meta-schemas": (
        "from jsonschema_specifications import REGISTRY\n",
        {"d"},
    ),
}

ALLOWED = {
    "building reference nodes and resolving through the document (compatibility)": (
        'REF_KEYS = ("$ref", "$recursiveRef", "$dynamicRef")\n'
        "class Document:\n"
        "    def __init__(self, schema):\n"
        "        self.schema = schema\n"
        "        self.words = tuple(w for w in REF_KEYS if w in schema.dialect.keywords)\n"
        "    def resolve(self, holder, word):\n"
        "        return self.schema.resolve(holder, word)\n"
        "def _build(doc, raw):\n"
        "    word = next((w for w in doc.words if isinstance(raw.get(w), str)), None)\n"
        '    if isinstance(raw.get("$ref"), str):\n'
        '        return ("ref", raw["$ref"], word)\n'
        "def deref(node):\n"
        "    while node.kind == 'ref':\n"
        '        node = node.doc.resolve(node.raw, node.f["word"]).schema\n'
        "    return node\n",
    ),
    "a walker's resolve handing nodes to the document": (
        "from app.core.references import follow\n"
        "class Walker:\n"
        "    def resolve(self, node, seen):\n"
        "        return follow(self.document, node, seen)\n",
    ),
    "escaping for another format": (
        'def _escape(text):\n    return text.replace("%", "%25").replace("\\n", "%0A")\n',
    ),
    "walking an event by a pointer, no reference in sight": (
        "from app.core.pointers import split_pointer\n"
        "def line(node, pointer):\n"
        "    for token in split_pointer(pointer):\n"
        "        node = node[token]\n"
        "    return node\n",
    ),
    "writing a $ref and documenting ~1": (
        'def body():\n    """The pointer escapes ~0 and ~1 are RFC 6901\'s."""\n'
        '    return {"$ref": "#/components/schemas/Problem"}\n',
    ),
}


@pytest.mark.parametrize(("source", "rules"), PLANTED.values(), ids=list(PLANTED))
def test_a_planted_second_resolver_or_codec_is_caught(source, rules):
    assert {v.rule for v in scan(source, "app/ui/planted.py")} == rules


@pytest.mark.parametrize("source", [v[0] for v in ALLOWED.values()], ids=list(ALLOWED))
def test_the_allowed_patterns_pass(source):
    assert scan(source, "app/core/compatibility/planted.py") == []


def test_only_the_schema_package_and_validation_may_import_referencing():
    source = "import referencing\nfrom jsonschema_specifications import REGISTRY\n"
    assert scan(source, "app/core/validation.py") == []
    assert [v.rule for v in scan(source, "app/core/analysis/planted.py")] == ["d", "d"]
