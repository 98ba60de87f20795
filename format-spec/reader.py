#!/usr/bin/env python3
"""An independent reader of Kolom segment files (format v1), written from the
spec in this folder alone: standard library plus the `lz4` and `xxhash` wheels.

    python3 reader.py FILE.kol            print the decoded file as JSON
    python3 reader.py --check DIR         decode every golden file in DIR/v1/ and
                                          compare with its .json; check that every
                                          file in DIR/bad/ fails with its error

If this reader needs something the spec does not say, the spec is incomplete.
"""
import json
import os
import struct
import sys
from datetime import date, timedelta

import lz4.block
import xxhash

MAGIC = bytes([0x89, 0x4B, 0x4F, 0x4C, 0x0D, 0x0A, 0x1A, 0x0A])
HEADER, TRAILER, FOOTER_HEADER = 16, 32, 64
COLUMN_ENTRY, ROW_GROUP_ENTRY, CHUNK_ENTRY = 32, 16, 64
KNOWN_REQUIRED = 0x3  # bit 0: LZ4 block codec; bit 1: RUNS encoding
KINDS = {1: "bytes", 2: "int", 3: "bool", 4: "code", 5: "date"}
MAX_COLUMNS, MAX_ROW_GROUPS, MAX_ROWS_PER_GROUP = 4096, 1 << 20, 1 << 20
MAX_RAW_CHUNK, MAX_FOOTER = 256 << 20, 64 << 20
EPOCH = date(1970, 1, 1)


class FormatError(Exception):
    """A malformed file; `code` is the error's name in test-vectors/bad/expected.json."""

    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code


def u(fmt, data, offset):
    return struct.unpack_from("<" + fmt, data, offset)[0]


def open_segment(data):
    """Validates header, trailer and footer; returns the footer as a dict."""
    if len(data) < HEADER + TRAILER:
        raise FormatError("truncated", f"{len(data)} bytes")
    trailer = data[-TRAILER:]
    if data[:8] != MAGIC:
        raise FormatError("bad-magic", "header")
    if trailer[24:32] != MAGIC:
        raise FormatError("truncated", "no trailer")
    major, minor = u("H", trailer, 12), u("H", trailer, 14)
    if major > 1 or major < 1 or u("H", data, 8) != major:
        raise FormatError("unsupported-version", f"{major}")
    footer_offset, footer_length = u("Q", trailer, 0), u("I", trailer, 8)
    body_limit = len(data) - TRAILER
    if footer_offset < HEADER or footer_offset > body_limit or footer_length > body_limit - footer_offset:
        raise FormatError("out-of-bounds", "footer")
    if footer_length > MAX_FOOTER:
        raise FormatError("limit-exceeded", "footer length")
    footer = data[footer_offset:footer_offset + footer_length]
    if xxhash.xxh3_64_intdigest(footer) != u("Q", trailer, 16):
        raise FormatError("checksum-mismatch", "footer")
    if len(footer) < FOOTER_HEADER:
        raise FormatError("truncated", "footer")
    rows, ncols, ngroups = u("Q", footer, 0), u("I", footer, 8), u("I", footer, 12)
    required, optional = u("Q", footer, 16), u("Q", footer, 24)
    names_len, presence_len = u("I", footer, 32), u("I", footer, 36)
    if required & ~KNOWN_REQUIRED:
        raise FormatError("unknown-required-feature", hex(required))
    if ncols > MAX_COLUMNS or ngroups > MAX_ROW_GROUPS:
        raise FormatError("limit-exceeded", "counts")
    columns_at = FOOTER_HEADER
    groups_at = columns_at + ncols * COLUMN_ENTRY
    chunks_at = groups_at + ngroups * ROW_GROUP_ENTRY
    presence_at = chunks_at + ngroups * ncols * CHUNK_ENTRY
    names_at = presence_at + presence_len
    if names_at + names_len != len(footer) or presence_len % 8:
        raise FormatError("inconsistent", "footer length")
    names = footer[names_at:names_at + names_len]
    columns = [read_column(footer, columns_at + i * COLUMN_ENTRY, names) for i in range(ncols)]
    groups, next_row = [], 0
    for g in range(ngroups):
        at = groups_at + g * ROW_GROUP_ENTRY
        first, count = u("Q", footer, at), u("I", footer, at + 8)
        if first != next_row or not 1 <= count <= MAX_ROWS_PER_GROUP:
            raise FormatError("invalid-field", f"row group {g}")
        groups.append({"first_row": first, "rows": count})
        next_row += count
    if next_row != rows:
        raise FormatError("inconsistent", "row count")
    presence = footer[presence_at:presence_at + presence_len]
    chunks = [[read_chunk(footer, chunks_at + (g * ncols + c) * CHUNK_ENTRY, columns[c], groups[g]["rows"],
                          presence, footer_offset) for c in range(ncols)] for g in range(ngroups)]
    if any(ch["codec"] == 1 for row in chunks for ch in row) and not required & 1:
        raise FormatError("inconsistent", "LZ4 chunks without the lz4Block feature")
    if any(ch["encoding"] == 2 for row in chunks for ch in row) and not required & 2:
        raise FormatError("inconsistent", "RUNS chunks without the runs feature")
    return {"version": [major, minor], "created_by": footer[40:64].split(b"\0")[0].decode(),
            "rows": rows, "required_features": required, "optional_features": optional,
            "columns": columns, "row_groups": groups, "chunks": chunks}


def read_column(footer, at, names):
    kind = footer[at + 4]
    if kind not in KINDS:
        raise FormatError("invalid-field", "kind")
    flags, width, codes = footer[at + 5], u("H", footer, at + 6), u("I", footer, at + 8)
    name_at, name_len = u("I", footer, at + 12), u("I", footer, at + 16)
    if flags & ~1 or (kind == 1) != (width > 0) or (kind == 4) != (codes > 0) or codes > 65536:
        raise FormatError("invalid-field", "column")
    if name_at + name_len > len(names):
        raise FormatError("out-of-bounds", "column name")
    return {"field_id": u("I", footer, at), "name": names[name_at:name_at + name_len].decode("utf-8"),
            "kind": KINDS[kind], "nullable": bool(flags & 1), "byte_width": width, "code_count": codes}


def value_bytes(column, encoding, width, base, rows):
    kind = column["kind"]
    if encoding == 0 and kind == "bytes":
        return rows * column["byte_width"]
    if encoding == 2 and kind == "bytes":
        if not 0 <= base <= rows or (base > 0) != (rows > 0):
            raise FormatError("invalid-field", "run count")
        return (rows + 63) // 64 * 8 + base * column["byte_width"]
    if encoding == 0 and kind in ("int", "code", "date"):
        return rows * 8
    if encoding == 1 and (kind in ("int", "code", "date") or (kind == "bool" and width <= 1)):
        return (rows * width + 63) // 64 * 8
    raise FormatError("invalid-field", f"encoding {encoding} for {kind}")


def read_chunk(footer, at, column, rows, presence, body_end):
    offset, stored, raw = u("Q", footer, at), u("I", footer, at + 8), u("I", footer, at + 12)
    codec, encoding, width, flags = footer[at + 24], footer[at + 25], footer[at + 26], footer[at + 27]
    nulls = u("I", footer, at + 28)
    if codec > 1 or encoding > 2 or flags & ~1:
        raise FormatError("invalid-field", "chunk codec, encoding or flags")
    if offset < HEADER or offset > body_end or stored > body_end - offset:
        raise FormatError("out-of-bounds", "chunk")
    if width > 64 or (encoding != 1 and width != 0):
        raise FormatError("invalid-field", "bit width")
    base = u("q", footer, at + 32)
    expected = ((rows + 63) // 64 * 8 if flags & 1 else 0) + value_bytes(column, encoding, width, base, rows - nulls)
    if expected > MAX_RAW_CHUNK:
        raise FormatError("limit-exceeded", "raw chunk")
    if raw != expected or (codec == 0 and stored != raw):
        raise FormatError("invalid-field", "raw or stored length")
    if nulls > rows or bool(flags & 1) != (nulls > 0) or (nulls and not column["nullable"]):
        raise FormatError("invalid-field", "null count")
    chunk = {"offset": offset, "stored": stored, "raw": raw, "checksum": u("Q", footer, at + 16),
             "codec": codec, "encoding": encoding, "width": width, "validity": bool(flags & 1),
             "nulls": nulls, "base": base, "min": u("q", footer, at + 40),
             "max": u("q", footer, at + 48), "true_count": u("I", footer, at + 56)}
    if column["kind"] == "code":
        p_at, p_len = u("I", footer, at + 60), (column["code_count"] + 63) // 64 * 8
        if p_at % 8 or p_at + p_len > len(presence):
            raise FormatError("out-of-bounds", "presence")
        bits = int.from_bytes(presence[p_at:p_at + p_len], "little")
        chunk["presence"] = [k for k in range(column["code_count"]) if bits >> k & 1]
    return chunk


def decode_chunk(data, chunk, column, rows):
    """The chunk's values, None for null rows."""
    stored = data[chunk["offset"]:chunk["offset"] + chunk["stored"]]
    if xxhash.xxh3_64_intdigest(stored) != chunk["checksum"]:
        raise FormatError("checksum-mismatch", "chunk")
    if chunk["codec"] == 1:
        try:
            raw = lz4.block.decompress(stored, uncompressed_size=chunk["raw"])
        except lz4.block.LZ4BlockError as e:
            raise FormatError("decompression-failed", str(e))
        if len(raw) != chunk["raw"]:
            raise FormatError("decompression-failed", "size")
    else:
        raw = stored
    valid = [True] * rows
    at = 0
    if chunk["validity"]:
        valid = [v == 1 for v in unpack(raw, 0, rows, 1)]
        at = (rows + 63) // 64 * 8
    kind, n = column["kind"], rows - chunk["nulls"]  # only non-null values are stored
    if kind == "bytes" and chunk["encoding"] == 2:
        values = runs(raw, at, n, chunk["base"], column["byte_width"])
    elif kind == "bytes":
        w = column["byte_width"]
        values = [raw[at + i * w:at + (i + 1) * w].hex() for i in range(n)]
    elif chunk["encoding"] == 0:
        values = [u("q", raw, at + 8 * i) for i in range(n)]
    else:
        base = chunk["base"]
        values = [to_signed(v + base) for v in unpack(raw, at, n, chunk["width"])]
    if kind == "bool":
        values = [v == 1 for v in values]
    elif kind == "date":
        values = [(EPOCH + timedelta(days=v)).isoformat() for v in values]
    elif kind == "code" and any(not 0 <= v < column["code_count"] for v in values):
        raise FormatError("inconsistent", "code outside the code list")
    dense = iter(values)
    return [next(dense) if ok else None for ok in valid]


def unpack(raw, at, rows, width):
    """`rows` values of `width` bits, LSB-first in little-endian 64-bit words at `at`."""
    if width == 0:
        return [0] * rows
    words = struct.unpack_from(f"<{(rows * width + 63) // 64}Q", raw, at) + (0,)
    mask, out = (1 << width) - 1, []
    for i in range(rows):
        bit = i * width
        word, shift = bit >> 6, bit & 63
        v = words[word] >> shift
        if shift + width > 64:
            v |= words[word + 1] << (64 - shift)
        out.append(v & mask)
    return out


def runs(raw, at, n, count, w):
    """RUNS: a run-start bitmap of n bits, then `count` run values of w bytes."""
    starts = unpack(raw, at, n, 1)
    words = (n + 63) // 64
    all_bits = int.from_bytes(raw[at:at + 8 * words], "little")
    if sum(starts) != count or bin(all_bits).count("1") != count or (n and not starts[0]):
        raise FormatError("inconsistent", "run starts disagree with the run count")
    values_at, out, run = at + 8 * words, [], -1
    for j in range(n):
        run += starts[j]
        out.append(raw[values_at + run * w:values_at + (run + 1) * w].hex())
    return out


def to_signed(v):
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >> 63 else v


def decode_file(data):
    """{"columns": [...], "rows": n, "values": {name: [...]}} for a whole file."""
    seg = open_segment(data)
    values = {c["name"]: [] for c in seg["columns"]}
    for g, group in enumerate(seg["row_groups"]):
        for c, column in enumerate(seg["columns"]):
            values[column["name"]] += decode_chunk(data, seg["chunks"][g][c], column, group["rows"])
    return {"version": seg["version"], "rows": seg["rows"],
            "columns": [{k: c[k] for k in ("field_id", "name", "kind", "nullable", "byte_width", "code_count")}
                        for c in seg["columns"]],
            "row_groups": [g["rows"] for g in seg["row_groups"]], "values": values}


def check(directory):
    failures, passed = 0, 0
    golden = os.path.join(directory, "v1")
    for name in sorted(os.listdir(golden)):
        if not name.endswith(".kol"):
            continue
        with open(os.path.join(golden, name), "rb") as f:
            data = f.read()
        with open(os.path.join(golden, name[:-4] + ".json")) as f:
            expected = json.load(f)
        try:
            got = decode_file(data)
        except FormatError as e:
            got = {"error": str(e)}
        if got == expected:
            passed += 1
        else:
            failures += 1
            print(f"FAIL golden {name}: decoded contents differ from {name[:-4]}.json")
    bad = os.path.join(directory, "bad")
    with open(os.path.join(bad, "expected.json")) as f:
        expected_errors = json.load(f)
    for name, want in sorted(expected_errors.items()):
        with open(os.path.join(bad, name), "rb") as f:
            data = f.read()
        try:
            decode_file(data)
            got = "no error"
        except FormatError as e:
            got = e.code
        if got == want["error"]:
            passed += 1
        else:
            failures += 1
            print(f"FAIL bad {name}: expected {want['error']}, got {got}")
    print(f"reader.py: {passed} passed, {failures} failed")
    return failures == 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        sys.exit(0 if check(sys.argv[2]) else 1)
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], "rb") as f:
        json.dump(decode_file(f.read()), sys.stdout, indent=1)
        print()
