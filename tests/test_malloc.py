import subprocess
import sys

import pytest

from hotdog import malloc

glibc = pytest.mark.skipif(malloc.platform.libc_ver()[0] != "glibc", reason="needs glibc's mallopt")

FREE_200_MB = """
import sys
from hotdog import malloc

def rss():
    return int(open("/proc/self/statm").read().split()[1]) * 4096

if sys.argv[1] == "keep":
    assert malloc.keep_freed_memory()
before = rss()
block = b"x" * (200 << 20)  # written, so its pages are resident
del block
print((rss() - before) >> 20)
"""


def megabytes_kept_after_free(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", FREE_200_MB, mode], capture_output=True, text=True, check=True)
    return int(done.stdout)


@glibc
def test_keep_freed_memory_keeps_a_freed_block_for_the_next_one():
    assert megabytes_kept_after_free("default") < 50  # glibc's default: unmapped at once
    assert megabytes_kept_after_free("keep") > 150  # kept in the heap for the next batch


def test_without_glibc_it_is_a_no_op(monkeypatch):
    monkeypatch.setattr(malloc.platform, "libc_ver", lambda: ("", ""))
    assert malloc.mallopt(malloc.M_ARENA_MAX, 2) is False
    assert malloc.limit_arenas() is False


def test_for_training_keeps_freed_memory_on_the_cpu_only(monkeypatch):
    asked = []
    monkeypatch.setattr(malloc, "keep_freed_memory", lambda announce=False: asked.append(announce) or True)
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    assert malloc.for_training("cuda", progress=True) is False and asked == []
    assert malloc.for_training("cpu", progress=True) and asked == [True]
    monkeypatch.setitem(sys.modules, "ipykernel", object())
    assert malloc.for_training("cpu", progress=True) and asked == [True, False]
