"""2D effects after the render, as plain numpy functions on ``uint8`` arrays (tested on arrays).

Blender renders the food alone on a transparent film; here the record's background is drawn and
composited under it, then the camera-like effects are applied: colour shift (white balance and
exposure), Gaussian blur (focus) and Gaussian noise (sensor). Compositing in numpy is faster than
asking Cycles to render a background, and it keeps the backgrounds testable.

Only numpy is required (Blender's own Python has numpy but not Pillow); Pillow is used when it is
there, for photo backgrounds and faster PNG files. :func:`srgb_to_linear` is the one colour-space
conversion the Blender side needs (vertex and material colours). A finished image is written through
:func:`hotdog.files.atomic_path`, like every result of the project.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

from hotdog import seeds


# --------------------------------------------------------------------------- backgrounds


def background(spec: dict, size: int, load_image=None) -> np.ndarray:
    """The ``(size, size, 3)`` uint8 background a record describes (``spec = record["background"]``).

    Kinds: ``solid`` (one colour), ``gradient`` (two colours along an angle), ``noise`` (two colours
    mixed by smooth value noise), ``photo`` (a square crop of a photo; ``load_image(path)`` returns
    an RGB uint8 array and defaults to Pillow).
    """
    kind = spec["kind"]
    if kind == "solid":
        return np.broadcast_to(_rgb(spec["colors"][0]), (size, size, 3)).copy()
    if kind == "gradient":
        a = np.radians(spec["angle_deg"])
        y, x = np.mgrid[0:size, 0:size] / max(size - 1, 1) - 0.5
        t = np.clip(0.5 + (x * np.cos(a) + y * np.sin(a)) / (2 * np.sqrt(0.5)), 0, 1)
        return _blend(spec["colors"], t)
    if kind == "noise":
        rng = np.random.default_rng(spec["seed"])
        t = np.zeros((size, size))
        for octave in range(spec["octaves"]):
            t += value_noise(rng, size, spec["cells"] * 2**octave) / 2**octave
        t = (t - t.min()) / max(t.max() - t.min(), 1e-9)
        return _blend(spec["colors"], t)
    if kind == "photo":
        photo = (load_image or load_rgb)(spec["path"])
        return crop_square(photo, size, **spec["crop"], flip=spec.get("flip", False))
    raise ValueError(f"unknown background kind {kind!r}")


def value_noise(rng: np.random.Generator, size: int, cells: int) -> np.ndarray:
    """Smooth noise in [0, 1]: random values on a ``(cells+1)^2`` grid, bicubic-smoothstep interpolated."""
    grid = rng.random((cells + 1, cells + 1))
    u = np.linspace(0, cells, size, endpoint=False)
    i = np.minimum(u.astype(int), cells - 1)
    f = u - i
    f = f * f * (3 - 2 * f)
    rows = grid[i] * (1 - f)[:, None] + grid[i + 1] * f[:, None]  # (size, cells+1)
    return rows[:, i] * (1 - f)[None, :] + rows[:, i + 1] * f[None, :]


def crop_square(image: np.ndarray, size: int, x: float, y: float, scale: float, flip: bool = False) -> np.ndarray:
    """A square crop of side ``scale * min(h, w)`` at relative position ``(x, y)`` in [0, 1], resized."""
    h, w = image.shape[:2]
    side = max(1, int(round(scale * min(h, w))))
    top, left = int(round(y * (h - side))), int(round(x * (w - side)))
    crop = image[top:top + side, left:left + side]
    if flip:
        crop = crop[:, ::-1]
    return resize(crop, size)


def resize(image: np.ndarray, size: int) -> np.ndarray:
    """Resize a uint8 image to ``size x size`` (Pillow's bilinear with antialiasing, else nearest)."""
    if image.shape[:2] == (size, size):
        return np.ascontiguousarray(image)
    try:
        from PIL import Image
    except ImportError:
        h, w = image.shape[:2]
        return np.ascontiguousarray(image[(np.arange(size) * h // size)][:, (np.arange(size) * w // size)])
    return np.asarray(Image.fromarray(np.ascontiguousarray(image)).resize((size, size), Image.BILINEAR))


# --------------------------------------------------------------------------- composite & effects


def composite(rgba: np.ndarray, bg: np.ndarray) -> np.ndarray:
    """The render (straight alpha, uint8 ``(H, W, 4)``) over an RGB background: ``fg*a + bg*(1-a)``."""
    alpha = rgba[..., 3:4].astype(np.float32) / 255.0
    out = rgba[..., :3].astype(np.float32) * alpha + bg.astype(np.float32) * (1 - alpha)
    return _to_uint8(out)


def drop_shadow(bg: np.ndarray, alpha: np.ndarray, spec: dict | None) -> np.ndarray:
    """Darken the background under and beside the food: its alpha, shifted by ``(dx, dy)`` (fractions
    of the image), blurred by ``blur`` (fraction) and scaled by ``strength``. A cheap stand-in for a
    shadow-catching ground plane (which doubles Cycles' time); ``None`` is a no-op."""
    if not spec:
        return bg
    size = alpha.shape[0]
    a = alpha.astype(np.float32) / 255.0
    dy, dx = int(round(spec["dy"] * size)), int(round(spec["dx"] * size))
    a = np.roll(np.roll(a, dy, axis=0), dx, axis=1)
    if dy > 0:
        a[:dy] = 0
    elif dy < 0:
        a[dy:] = 0
    if dx > 0:
        a[:, :dx] = 0
    elif dx < 0:
        a[:, dx:] = 0
    a = gaussian_blur((a * 255).astype(np.uint8)[..., None], max(spec["blur"] * size, 0.5))[..., 0] / 255.0
    return _to_uint8(bg.astype(np.float32) * (1 - spec["strength"] * a)[..., None])


def color_shift(image: np.ndarray, gains) -> np.ndarray:
    """Multiply each channel by its gain (white balance and exposure), clipped to 0..255."""
    return _to_uint8(image.astype(np.float32) * np.asarray(gains, dtype=np.float32))


def gaussian_noise(image: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """Add zero-mean Gaussian noise of standard deviation ``sigma`` (0-255 units); ``sigma=0`` is a no-op."""
    if sigma <= 0:
        return image.copy()
    return _to_uint8(image.astype(np.float32) + rng.normal(0, sigma, image.shape).astype(np.float32))


def gaussian_blur(image: np.ndarray, radius: float) -> np.ndarray:
    """Gaussian blur with standard deviation ``radius`` pixels (separable, edges reflected); 0 is a no-op."""
    if radius <= 0:
        return image.copy()
    half = max(1, int(np.ceil(3 * radius)))
    x = np.arange(-half, half + 1)
    kernel = np.exp(-0.5 * (x / radius) ** 2)
    kernel /= kernel.sum()
    out = image.astype(np.float32)
    for axis in (0, 1):
        pad = [(0, 0)] * out.ndim
        pad[axis] = (half, half)
        padded = np.pad(out, pad, mode="reflect")
        out = sum(w * np.take(padded, np.arange(i, i + out.shape[axis]), axis=axis) for i, w in enumerate(kernel))
    return _to_uint8(out)


def vignette(image: np.ndarray, strength: float) -> np.ndarray:
    """Darken towards the corners as a lens does: the gain falls from 1 at the centre to ``1 - strength``
    in the corners, with the square of the distance; 0 is a no-op."""
    if strength <= 0:
        return image.copy()
    h, w = image.shape[:2]
    y, x = np.mgrid[0:h, 0:w]
    r2 = ((x - (w - 1) / 2) ** 2 + (y - (h - 1) / 2) ** 2) / (((w - 1) / 2) ** 2 + ((h - 1) / 2) ** 2)
    return _to_uint8(image.astype(np.float32) * (1 - strength * r2)[..., None].astype(np.float32))


def motion_blur(image: np.ndarray, length: float, angle_deg: float) -> np.ndarray:
    """A shaken camera: the mean of the image shifted along a line of ``length`` pixels at ``angle_deg``
    (one shift a pixel, edges repeated); a length under 1 is a no-op."""
    if length < 1:
        return image.copy()
    steps = int(np.ceil(length)) + 1
    a = np.radians(angle_deg)
    offsets = np.rint(np.linspace(-length / 2, length / 2, steps)[:, None] * [np.sin(a), np.cos(a)]).astype(int)
    pad = int(np.abs(offsets).max())
    padded = np.pad(image.astype(np.float32), ((pad, pad), (pad, pad), (0, 0)), mode="edge")
    h, w = image.shape[:2]
    out = sum(padded[pad + dy:pad + dy + h, pad + dx:pad + dx + w] for dy, dx in offsets) / steps
    return _to_uint8(out)


def saturation_contrast(image: np.ndarray, saturation: float = 1.0, contrast: float = 1.0) -> np.ndarray:
    """Colour jitter: scale saturation (blend with the grey image) and contrast (about the mean); 1 is a no-op."""
    if saturation == 1 and contrast == 1:
        return image.copy()
    x = image.astype(np.float32)
    grey = x @ np.array([0.299, 0.587, 0.114], np.float32)
    x = grey[..., None] + (x - grey[..., None]) * saturation
    x = x.mean() + (x - x.mean()) * contrast
    return _to_uint8(x)


# the JPEG standard's quantisation tables (quality 50)
_Q_LUMA = np.array([16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
                    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
                    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99], np.float32).reshape(8, 8)
_Q_CHROMA = np.full((8, 8), 99, np.float32)
_Q_CHROMA[:4, :4] = np.array([17, 18, 24, 47, 18, 21, 26, 66, 24, 26, 56, 99, 47, 66, 99, 99]).reshape(4, 4)


def jpeg_compress(image: np.ndarray, quality: int) -> np.ndarray:
    """Encode as JPEG at ``quality`` (1-95) and decode again: blocking and ringing like a phone photo.
    ``quality <= 0`` is a no-op. Pillow when present; otherwise an 8x8-DCT quantisation in numpy
    (same tables and colour space, no chroma subsampling), close to but not bit-identical with it."""
    if quality <= 0:
        return image.copy()
    try:
        import io

        from PIL import Image
    except ImportError:
        return _jpeg_numpy(image, quality)
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(image)).save(buffer, format="JPEG", quality=int(quality), subsampling=0)
    buffer.seek(0)
    with Image.open(buffer) as im:
        return np.asarray(im.convert("RGB"))


def _jpeg_numpy(image: np.ndarray, quality: int) -> np.ndarray:
    q = int(np.clip(quality, 1, 100))
    scale = 5000 / q if q < 50 else 200 - 2 * q
    h, w = image.shape[:2]
    ph, pw = -h % 8, -w % 8
    x = np.pad(image.astype(np.float32), ((0, ph), (0, pw), (0, 0)), mode="edge")
    ycc = x @ np.array([[0.299, -0.168736, 0.5], [0.587, -0.331264, -0.418688], [0.114, 0.5, -0.081312]], np.float32)
    ycc[..., 0] -= 128
    n = np.arange(8)
    dct = np.sqrt(2 / 8) * np.cos((2 * n[None, :] + 1) * n[:, None] * np.pi / 16)
    dct[0] /= np.sqrt(2)
    H, W = x.shape[:2]
    for c, table in ((0, _Q_LUMA), (1, _Q_CHROMA), (2, _Q_CHROMA)):
        qt = np.clip(np.floor((table * scale + 50) / 100), 1, 255)
        blocks = ycc[..., c].reshape(H // 8, 8, W // 8, 8).transpose(0, 2, 1, 3)
        coef = dct @ blocks @ dct.T
        blocks = dct.T @ (np.round(coef / qt) * qt) @ dct
        ycc[..., c] = blocks.transpose(0, 2, 1, 3).reshape(H, W)
    ycc[..., 0] += 128
    rgb = ycc @ np.array([[1.0, 1.0, 1.0], [0.0, -0.344136, 1.772], [1.402, -0.714136, 0.0]], np.float32)
    return _to_uint8(rgb[:h, :w])


def apply_effects(rgba: np.ndarray, record: dict, load_image=None) -> np.ndarray:
    """The final RGB image of a record: background, composite, colour jitter (channel gains,
    saturation, contrast), vignetting, blur, motion blur, noise, then JPEG compression.

    The noise is drawn from a generator seeded by the record's seed (stream 1), so the image is reproducible.
    """
    size = rgba.shape[0]
    effects = record["effects"]
    bg = drop_shadow(background(record["background"], size, load_image), rgba[..., 3],
                     record.get("ground", {}).get("drop_shadow"))
    image = composite(rgba, bg)
    image = color_shift(image, effects["color_shift"])
    image = saturation_contrast(image, effects.get("saturation", 1.0), effects.get("contrast", 1.0))
    image = vignette(image, effects.get("vignette", 0.0))
    image = gaussian_blur(image, effects["blur_radius"])
    if "motion_blur" in effects:
        image = motion_blur(image, **effects["motion_blur"])
    rng = seeds.generator(record["seed"], 1)
    image = gaussian_noise(image, effects["noise_sigma"], rng)
    return jpeg_compress(image, effects.get("jpeg_quality", 0))


def srgb_to_linear(color) -> np.ndarray:
    """sRGB colour values in [0, 1] (clipped) as linear light, the colour space Blender's materials use."""
    c = np.clip(np.asarray(color, dtype=float), 0, 1)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _rgb(color) -> np.ndarray:
    return np.asarray(np.round(np.asarray(color, dtype=float)[:3] * 255), dtype=np.uint8)


def _blend(colors, t: np.ndarray) -> np.ndarray:
    a, b = (np.asarray(c, dtype=np.float32)[:3] * 255 for c in colors[:2])
    return _to_uint8(a * (1 - t[..., None]) + b * t[..., None])


def _to_uint8(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(x), 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------- files


def load_rgb(path: str | Path) -> np.ndarray:
    """An image file as an RGB uint8 array (needs Pillow)."""
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def load_rgba(path: str | Path) -> np.ndarray:
    """An image file as an RGBA uint8 array (needs Pillow)."""
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("RGBA"))


def save_png(path: str | Path, image: np.ndarray) -> None:
    """Write an RGB or RGBA uint8 array as PNG (Pillow if available, else a small zlib encoder)."""
    image = np.ascontiguousarray(image, dtype=np.uint8)
    try:
        from PIL import Image
    except ImportError:
        Path(path).write_bytes(encode_png(image))
        return
    Image.fromarray(image).save(path, format="PNG")


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"  # the IEND chunk every whole PNG ends with


def png_is_whole(path: str | Path, size: int) -> bool:
    """Whether ``path`` is a complete ``size`` x ``size`` PNG: its header says so and its last chunk is
    there (reads 24 bytes at the start and 12 at the end, so a rerun checks thousands at once). A
    zero-byte, truncated or foreign file is not."""
    try:
        with open(path, "rb") as f:
            head = f.read(24)
            if len(head) < 24 or f.seek(0, 2) < 24 + len(PNG_END):
                return False
            f.seek(-len(PNG_END), 2)
            tail = f.read()
    except OSError:
        return False
    return head[:8] == PNG_SIGNATURE and head[12:16] == b"IHDR" and struct.unpack(">II", head[16:24]) == (size, size) \
        and tail == PNG_END


def encode_png(image: np.ndarray) -> bytes:
    """PNG bytes of an ``(H, W, 3|4)`` uint8 array, with nothing but zlib."""
    h, w, c = image.shape
    raw = np.concatenate([np.zeros((h, 1), np.uint8), image.reshape(h, w * c)], axis=1).tobytes()

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", w, h, 8, {3: 2, 4: 6}[c], 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
