#!/usr/bin/env python3
"""Writes the example calendar's tiny media files (a few hundred bytes each).

They are real files of their kind, small on purpose: 8x8 grey baseline
JPEGs, an 8x8 PNG cover, and an MP4 container whose movie header says
15 seconds (no frames: enough for herald's checks, not for a video player).
Run from this folder: ./make-media.py
"""
import struct
import zlib


def png(path, rgb):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    raw = b"".join(b"\x00" + bytes(rgb) * 8 for _ in range(8))
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    open(path, "wb").write(data)


def jpeg(path):
    def seg(marker, data):
        return b"\xff" + bytes([marker]) + struct.pack(">H", len(data) + 2) + data
    dqt = seg(0xDB, b"\x00" + bytes([1] * 64))
    sof = seg(0xC0, b"\x08" + struct.pack(">HH", 8, 8) + b"\x01" + b"\x01\x11\x00")
    # One-code Huffman tables: DC category 0, AC end-of-block.
    dht_dc = seg(0xC4, b"\x00" + bytes([1] + [0] * 15) + b"\x00")
    dht_ac = seg(0xC4, b"\x10" + bytes([1] + [0] * 15) + b"\x00")
    sos = seg(0xDA, b"\x01" + b"\x01\x00" + b"\x00\x3f\x00")
    data = b"\xff\xd8" + dqt + sof + dht_dc + dht_ac + sos + b"\x3f" + b"\xff\xd9"
    open(path, "wb").write(data)


def mp4(path, seconds):
    def box(kind, data):
        return struct.pack(">I", len(data) + 8) + kind + data
    ftyp = box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    mvhd = box(b"mvhd", b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, 1000, seconds * 1000)
               + struct.pack(">IH", 0x00010000, 0x0100) + b"\x00" * 10
               + struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
               + b"\x00" * 24 + struct.pack(">I", 2))
    open(path, "wb").write(ftyp + box(b"moov", mvhd))


jpeg("media/stain-tip.jpg")
# Instagram takes JPEG only, so everything an Instagram post shows is a JPEG.
jpeg("media/first-press-free.jpg")
jpeg("media/teams/cubs.jpg")
jpeg("media/teams/sox.jpg")
jpeg("media/teams/brewers.jpg")
png("media/behind-the-counter-cover.png", (0xf5, 0xf0, 0xe6))
mp4("media/behind-the-counter.mp4", 15)
