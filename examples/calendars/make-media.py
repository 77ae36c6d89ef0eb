#!/usr/bin/env python3
"""Writes the example calendar's media files, small on purpose (a few KB each).

They are real files of their kind, made with Debian's `ffmpeg` CLI at
generation time (the files are committed; nothing at build or test time needs
ffmpeg): solid-colour 1080x1080 baseline JPEGs (Instagram's square size), a
1280x720 PNG cover (YouTube's thumbnail size), and a 15-second 360x640 (9:16)
H.264/AAC MP4 at 24 fps with its movie header at the front (a reel's shape),
which libavformat and any video player open.
Run from this folder: ./make-media.py
"""
import subprocess

FFMPEG = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y"]
# No encoder version or creation time in the files, so reruns give the same bytes.
EXACT = ["-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
         "-map_metadata", "-1"]


def colour(rgb, size, rate=None, seconds=None):
    spec = f"color=c=0x{rgb:06x}:s={size}"
    if rate:
        spec += f":r={rate}:d={seconds}"
    return ["-f", "lavfi", "-i", spec]


def jpeg(path, rgb):
    subprocess.run(FFMPEG + colour(rgb, "1080x1080") + ["-frames:v", "1", "-q:v", "31"]
                   + EXACT + [path], check=True)


def png(path, rgb):
    subprocess.run(FFMPEG + colour(rgb, "1280x720") + ["-frames:v", "1"] + EXACT + [path],
                   check=True)


def mp4(path, rgb, seconds):
    subprocess.run(FFMPEG + colour(rgb, "360x640", 24, seconds)
                   + ["-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", str(seconds),
                      "-c:v", "libx264", "-preset", "veryslow", "-crf", "51", "-g", "400",
                      "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "1k",
                      "-movflags", "+faststart"] + EXACT + [path], check=True)


jpeg("media/stain-tip.jpg", 0x3a6ea5)
# Instagram takes JPEG only, so everything an Instagram post shows is a JPEG.
jpeg("media/first-press-free.jpg", 0xc8102e)
jpeg("media/teams/cubs.jpg", 0x0e3386)
jpeg("media/teams/sox.jpg", 0x27251f)
jpeg("media/teams/brewers.jpg", 0x12284b)
png("media/behind-the-counter-cover.png", 0xf5f0e6)
mp4("media/behind-the-counter.mp4", 0xf5f0e6, 15)
