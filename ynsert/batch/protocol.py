"""Frames between a worker and its engine process: an 8-byte length and a pickle.

Pickle is safe here: both ends are this package, started by the worker, over a private pipe.

>>> import io
>>> buffer = io.BytesIO()
>>> write_frame(buffer, {"ready": 1})
>>> _ = buffer.seek(0)
>>> read_frame(buffer)
{'ready': 1}
"""

from __future__ import annotations

import pickle
import struct
from typing import IO, Any

HEADER = struct.Struct(">Q")


def write_frame(stream: IO[bytes], value: Any) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(payload)) + payload)
    stream.flush()


def read_frame(stream: IO[bytes]) -> Any | None:
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return pickle.loads(payload)
