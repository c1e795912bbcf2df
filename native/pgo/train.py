"""Training input for the profile-guided build of pysec_tree (see scripts/build-native.mjs).

Nothing runs this module: the build parses it, so that the compiler learns which branches of
tree-sitter's parser and of the flattener are hot. It is ordinary application code on purpose,
with most of Python's syntax, because that is what the parser spends its time on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import sqlite3
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from enum import Enum
from functools import wraps
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 50
TIMEOUT = 2.5
FLAGS = 0x1F | 0o17 | 0b1010
RATIO = 1e-3 + 3.14j
NAMES = ("alpha", "beta", 'gamma', r"delta\d+", b"epsilon", f"zeta-{DEFAULT_LIMIT}")
SQL = """
    SELECT id, name, email
    FROM users
    WHERE active = 1
"""
Point = namedtuple("Point", ["x", "y"])
PATTERN = re.compile(r"^(?P<key>[a-z_]+)\s*=\s*(?P<value>.+)$", re.MULTILINE)


class Status(Enum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DELETED = "deleted"


@dataclass(frozen=True)
class User:
    id: int
    name: str
    email: str
    roles: list[str] = field(default_factory=list)
    status: Status = Status.ACTIVE

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles and self.status is Status.ACTIVE

    def display(self, *, width: int = 40) -> str:
        label = f"{self.name!r:<{width}} <{self.email}>"
        return label if len(label) <= width else label[: width - 1] + "…"


def retry(times: int = 3, exceptions: tuple[type[BaseException], ...] = (OSError,)) -> Callable:
    def decorate(fn: Callable) -> Callable:
        @wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            last: Optional[BaseException] = None
            for attempt in range(1, times + 1):
                try:
                    return fn(*args, **kwargs)
                except exceptions as exc:  # noqa: PERF203
                    last = exc
                    log.warning("attempt %d of %d failed: %s", attempt, times, exc)
                finally:
                    log.debug("attempt %d done", attempt)
            raise RuntimeError(f"{fn.__name__} failed after {times} attempts") from last

        return wrapper

    return decorate


class Repository:
    """Users stored in SQLite."""

    def __init__(self, path: str | os.PathLike[str] = ":memory:") -> None:
        self._conn = sqlite3.connect(path)
        self._conn.row_factory = sqlite3.Row
        self._cache: dict[int, User] = {}

    def __enter__(self) -> "Repository":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._conn.close()

    @retry(times=2)
    def get(self, user_id: int) -> User | None:
        if user_id in self._cache:
            return self._cache[user_id]
        row = self._conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        if row is None:
            return None
        user = User(row["id"], row["name"], row["email"], roles=json.loads(row["roles"] or "[]"))
        self._cache[user_id] = user
        return user

    def search(self, term: str, limit: int = DEFAULT_LIMIT) -> list[User]:
        like = "%" + term.replace("%", r"\%") + "%"
        rows = self._conn.execute("SELECT * FROM users WHERE name LIKE ? LIMIT ?", [like, limit])
        return [User(r["id"], r["name"], r["email"]) for r in rows if r["email"]]

    def by_role(self) -> dict[str, set[int]]:
        out: defaultdict[str, set[int]] = defaultdict(set)
        for user in self._cache.values():
            for role in user.roles:
                out[role].add(user.id)
        return {k: v for k, v in sorted(out.items(), key=lambda kv: (-len(kv[1]), kv[0]))}


def parse_settings(text: str) -> dict[str, str]:
    settings = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        elif (m := PATTERN.match(line)) is not None:
            settings[m["key"]] = m.group("value").strip("'\"")
        else:
            raise ValueError("line %d: cannot parse %r" % (lineno, line))
    return settings


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def describe(value: object) -> str:
    match value:
        case None:
            return "nothing"
        case bool(b):
            return "yes" if b else "no"
        case int(n) | float(n) if n < 0:
            return "negative"
        case [first, *rest]:
            return f"list starting with {first!s} and {len(rest)} more"
        case {"type": kind, **others}:
            return f"{kind} with {', '.join(others)}"
        case Point(x=0, y=0):
            return "origin"
        case _:
            return type(value).__name__


async def fetch_all(urls: list[str], concurrency: int = 4) -> list[bytes]:
    semaphore = asyncio.Semaphore(concurrency)
    results: list[bytes] = []

    async def one(url: str) -> None:
        nonlocal results
        async with semaphore:
            await asyncio.sleep(0)
            results += [url.encode()]

    await asyncio.gather(*(one(u) for u in urls))
    return results


def walk_tree(root: Path, *, suffixes=(".py", ".pyi"), skip=frozenset({".git", "node_modules"})):
    stack = [root]
    while stack:
        current = stack.pop()
        for entry in sorted(current.iterdir(), reverse=True):
            if entry.name in skip:
                continue
            if entry.is_dir():
                stack.append(entry)
            elif entry.suffix in suffixes and not entry.name.startswith("_"):
                yield entry.relative_to(root)


def matrix(n):
    grid = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            grid[i][j] = i * j if (i + j) % 2 == 0 else -(i - j) ** 2
    total = sum(sum(row) for row in grid)
    flat = [x for row in grid for x in row if x]
    return total, flat[::2], flat[-3:], {x % 7 for x in flat}


class Registry(dict):
    counter = 0

    def register(self, name=None):
        def inner(cls):
            global DEFAULT_LIMIT
            Registry.counter += 1
            self[name or cls.__name__.lower()] = cls
            return cls

        return inner

    def __getitem__(self, key):
        try:
            return super().__getitem__(key)
        except KeyError:
            raise LookupError(f"no handler named {key!r}; known: {sorted(self)}") from None


registry = Registry()


@registry.register("csv")
class CsvExporter:
    delimiter = ","

    def export(self, rows, out=None):
        lines = [self.delimiter.join(str(c) for c in row) for row in rows]
        text = "\n".join(lines) + ("\n" if lines else "")
        if out is not None:
            out.write(text)
        assert isinstance(text, str), "export produces text"
        return text


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=":memory:")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT)
    parser.add_argument("terms", nargs="*")
    args = parser.parse_args(argv)
    with Repository(args.db) as repo:
        for term in args.terms or ["a"]:
            users = repo.search(term, limit=args.limit)
            print(*(u.display() for u in users), sep="\n")
    del parser, args
    return 0 if True else 1


if __name__ == "__main__":
    raise SystemExit(main())
