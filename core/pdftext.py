"""The text of a PDF that WeasyPrint wrote: enough to check a document's content in tests and CI.

No PDF library is installed (pypdf is not in the virtualenv and ``pdftotext`` is not on
every machine), and WeasyPrint writes a regular shape: plain indirect objects (or object
streams), Flate-compressed streams, Type 0 fonts with a ``ToUnicode`` map, and text shown
with ``Tj``/``TJ`` as hexadecimal glyph codes. This reads exactly that shape, page by page,
following each page's font resources so that two fonts' codes never mix.
"""

import re
import zlib

_OBJ = re.compile(rb"(\d+)\s+0\s+obj\b(.*?)\bendobj", re.S)
_REF = rb"(\d+)\s+0\s+R"


def _stream(body: bytes) -> bytes | None:
    match = re.search(rb"stream\r?\n", body)
    if match is None:
        return None
    data = body[match.end() : body.rfind(b"endstream")]
    if b"/FlateDecode" in body[: match.start()]:
        return zlib.decompressobj().decompress(data)
    return data


def _objects(pdf: bytes) -> dict[int, bytes]:
    objects = {int(num): body for num, body in _OBJ.findall(pdf)}
    # Objects packed in object streams (/Type /ObjStm): "num offset ..." pairs, then the bodies.
    for body in list(objects.values()):
        if b"/ObjStm" not in body.split(b"stream", 1)[0]:
            continue
        first = int(re.search(rb"/First\s+(\d+)", body).group(1))
        data = _stream(body)
        header = [int(x) for x in data[:first].split()]
        pairs = list(zip(header[::2], header[1::2], strict=True))
        for i, (num, offset) in enumerate(pairs):
            end = first + pairs[i + 1][1] if i + 1 < len(pairs) else len(data)
            objects.setdefault(num, data[first + offset : end])
    return objects


def _cmap(data: bytes) -> dict[bytes, str]:
    mapping: dict[bytes, str] = {}

    def text(hexa: bytes) -> str:
        return bytes.fromhex(hexa.decode()).decode("utf-16-be", errors="replace")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[bytes.fromhex(src.decode())] = text(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            size, start, stop = len(lo) // 2, int(lo, 16), int(hi, 16)
            base = int(dst, 16)
            for offset in range(stop - start + 1):
                mapping[(start + offset).to_bytes(size, "big")] = chr(base + offset)
    return mapping


def _resolve(objects: dict[int, bytes], value: bytes) -> bytes:
    ref = re.fullmatch(rb"\s*" + _REF + rb"\s*", value)
    return objects.get(int(ref.group(1)), b"") if ref else value


def _dict_entry(body: bytes, key: bytes) -> bytes:
    """The value of ``/key`` in a dictionary: a reference, or a nested ``<< >>`` dictionary."""
    match = re.search(rb"/" + key + rb"\s*", body)
    if match is None:
        return b""
    rest = body[match.end() :]
    ref = re.match(_REF, rest)
    if ref:
        return ref.group(0)
    if rest.startswith(b"<<"):
        depth, i = 0, 0
        while i < len(rest):
            if rest.startswith(b"<<", i):
                depth, i = depth + 1, i + 2
            elif rest.startswith(b">>", i):
                depth, i = depth - 1, i + 2
                if depth == 0:
                    return rest[:i]
            else:
                i += 1
    if rest.startswith(b"["):
        return rest[: rest.index(b"]") + 1]
    return b""


_TOKENS = re.compile(
    rb"<([0-9A-Fa-f]*)>|/([^\s/<>\[\]()]+)\s+[-\d.]+\s+Tf|(T\*|Td|TD|Tm|ET)\b|(-?\d+\.?\d*)(?=\s*[<\]])"
)


def _page_text(content: bytes, fonts: dict[bytes, dict[bytes, str]]) -> str:
    out: list[str] = []
    cmap: dict[bytes, str] = {}
    for hexa, font, move, kern in _TOKENS.findall(content):
        if font:
            cmap = fonts.get(font, {})
        elif move:
            if out and not out[-1].endswith((" ", "\n")):
                out.append("\n" if move in (b"ET", b"Tm", b"T*") else " ")
        elif kern:
            if float(kern) < -200:  # a wide negative kerning is a space the layout drew as a gap
                out.append(" ")
        else:
            raw = bytes.fromhex(hexa.decode())
            width = 2 if len(next(iter(cmap), b"  ")) == 2 else 1
            out.append("".join(cmap.get(raw[i : i + width], "") for i in range(0, len(raw), width)))
    return "".join(out)


def pdf_text(pdf: bytes) -> str:
    """All the text of the PDF's pages, in order, whitespace collapsed to single spaces per line."""
    objects = _objects(pdf)
    pages = [body for body in objects.values() if re.search(rb"/Type\s*/Page\b(?!s)", body)]
    # In reading order: the page tree's /Kids when it is flat (WeasyPrint's is).
    for body in objects.values():
        if re.search(rb"/Type\s*/Pages\b", body):
            kids = [objects.get(int(num), b"") for num in re.findall(_REF, _dict_entry(body, b"Kids"))]
            if len(kids) == len(pages):
                pages = kids
    texts = []
    for page in pages:
        resources = _resolve(objects, _dict_entry(page, b"Resources"))
        font_dict = _resolve(objects, _dict_entry(resources, b"Font"))
        fonts = {}
        for name, num in re.findall(rb"/([^\s/<>]+)\s+" + _REF, font_dict):
            font = objects.get(int(num), b"")
            to_unicode = _dict_entry(font, b"ToUnicode")
            fonts[name] = _cmap(_stream(_resolve(objects, to_unicode)) or b"") if to_unicode else {}
        contents = _dict_entry(page, b"Contents")
        refs = re.findall(_REF, contents)
        content = b"\n".join(_stream(objects[int(num)]) or b"" for num in refs)
        texts.append(_page_text(content, fonts))
    lines = (" ".join(line.split()) for text in texts for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def pdf_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts embedded in the PDF, without their subset prefix ("CAT-Sans-Bold")."""
    names = set()
    for body in _objects(pdf).values():
        for name in re.findall(rb"/FontName\s*/(?:[A-Z]{6}\+)?([^\s/<>\[\]]+)", body):
            names.add(name.decode())
    return names
