"""Picture files for upload tests, built in memory."""

from __future__ import annotations

import functools
import io
import struct
import zlib

from PIL import Image


def png_bytes(size: tuple[int, int] = (8, 6), colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


@functools.cache
def decompression_bomb_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid, all-black 1-bit PNG of ``width`` × ``height`` pixels that weighs a few dozen KB
    (20000 × 20000 is about 48 KB) and would take hundreds of MB to decode."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")
