"""Commit imports in small batches while keeping each item atomic.

Every item runs in its own savepoint (`store.write()` nests), so a failing item rolls back
alone and is reported; the batch around it commits every BATCH_ITEMS items or BATCH_SECONDS,
whichever comes first. That saves one fsync per message (synchronous=FULL) without holding
the write lock long enough to make another rep wait noticeably. An interrupted import loses
at most the open batch, never half an item; running it again picks up what is missing.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

BATCH_ITEMS = 200
BATCH_SECONDS = 0.25


def in_batches(
    store, items: Iterable[T], size: int | None = None, seconds: float | None = None  # noqa: ANN001
) -> Iterator[T]:
    """Yield `items` inside write transactions committed every `size` items or `seconds`.

    The consumer must handle each item's errors itself (an exception escaping the loop rolls
    the open batch back, which is what an interruption should do).
    """
    size = size or BATCH_ITEMS
    seconds = BATCH_SECONDS if seconds is None else seconds
    it = iter(items)
    while True:
        started = time.monotonic()
        count = 0
        with store.write():
            for item in it:
                yield item
                count += 1
                if count >= size or time.monotonic() - started >= seconds:
                    break
            else:
                return
