#!/usr/bin/env python3
"""Bytes per record of the same records in Parquet (zstd level 1), for KolomBench's
size target. Reads the year segments that `KolomBench --write DIR` wrote (with
format-spec/reader.py, so the rows and their order are exactly Kolom's), writes
each as a Parquet file with one boolean column per flag, and compares sizes.

    python3 Benchmarks/parquet_baseline.py DIR
"""
import datetime
import glob
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "format-spec"))
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import reader  # noqa: E402


def to_arrow(column, values):
    if column["kind"] == "bytes":
        return pa.array([None if v is None else bytes.fromhex(v) for v in values], pa.binary(column["byte_width"]))
    if column["kind"] == "bool":
        return pa.array(values, pa.bool_())
    if column["kind"] == "date":
        return pa.array([None if v is None else datetime.date.fromisoformat(v) for v in values], pa.date32())
    return pa.array(values, pa.int32() if column["kind"] == "code" else pa.int64())


def main(directory):
    kolom = parquet = rows = 0
    for path in sorted(glob.glob(os.path.join(directory, "*.kol"))):
        with open(path, "rb") as f:
            data = f.read()
        decoded = reader.decode_file(data)
        table = pa.table({c["name"]: to_arrow(c, decoded["values"][c["name"]]) for c in decoded["columns"]})
        out = path[:-4] + ".parquet"
        pq.write_table(table, out, compression="zstd", compression_level=1)
        kolom += len(data)
        parquet += os.path.getsize(out)
        rows += decoded["rows"]
    result = {"records": rows, "kolom_bytes_per_record": kolom / rows, "parquet_zstd1_bytes_per_record": parquet / rows}
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
