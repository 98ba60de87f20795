#!/usr/bin/env python3
"""Kolom side by side with the engines analysts would otherwise use.

One run on one data set: KolomBench generates N records (seed S) into a Kolom store
and times its query suite; the same records are exported to CSV, loaded into DuckDB
(a native table) and SQLite (a table), written as Parquet (zstd and LZ4) for the
sizes, loaded from that Parquet into chDB (a MergeTree table) and read by Polars
(into memory, queried as lazy frames) when asked. Each engine runs the suite in its own process: one warm-up, then the median of
RUNS runs, and its peak RSS. Every engine must return the same rows for every query
(canonicalised: exact integers, doubles to 9 significant digits); a mismatch fails the
run. The table (markdown and JSON) gives each engine's median per query and Kolom's
ratio to the fastest peer; with --thresholds, a ratio of Kolom to DuckDB above its
threshold by more than 50% fails the run too.

    python3 Benchmarks/peers/compare.py [--records N] [--seed S] [--runs R]
        [--peers duckdb,sqlite[,chdb][,polars]] [--work DIR] [--thresholds FILE] [--out PREFIX]

(duckdb first: chdb and polars read the Parquet file it writes.)
"""
import argparse
import json
import math
import os
import resource
import sqlite3
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KOLOM = os.path.join(ROOT, ".build", "release", "kolom")
BENCH = os.path.join(ROOT, ".build", "release", "KolomBench")

FLAGS_YOUTH = [
    "ggz_psychiatrisch", "ass", "adhd", "trauma_hechting", "angst_stemming", "lvb", "ernstig_verstandelijk_emb",
    "somatisch_lichamelijk", "nah", "gedrag_agressie", "suicidaliteit_zelfbeschadiging", "middelengebruik",
    "eetproblematiek", "seksueel_grensoverschrijdend", "slachtoffer_misbruik_uitbuiting", "delinquent_gedrag",
    "schoolverzuim",
]
PJ = "problematiek_jeugdige__"


def per_flag_union():
    return " UNION ALL ".join(
        f"SELECT regio, '{f}' AS probleem, clientnummer FROM cases WHERE {PJ}{f} = 1" for f in FLAGS_YOUTH)


# The KolomBench suite (same names) in each peer's SQL. {client} is the pseudonym the
# suite looks up, as hex.
def peer_queries(engine):
    year = {"duckdb": "year(datum)", "chdb": "toYear(datum)"}.get(engine, "CAST(strftime('%Y', datum) AS INTEGER)")
    days = {"duckdb": "datum_afsluiting - datum_aanmelding",
            "chdb": "dateDiff('day', datum_aanmelding, datum_afsluiting)"}.get(
        engine, "CAST(julianday(datum_afsluiting) - julianday(datum_aanmelding) AS INTEGER)")
    quantiles = {"duckdb": "median({d}), quantile_cont({d}, 0.9)",
                 "chdb": "quantileExactInclusive(0.5)({d}), quantileExactInclusive(0.9)({d})"}.get(
        engine, "kq_quantile_cont({d}, 0.5), kq_quantile_cont({d}, 0.9)").format(d=days)
    if engine == "duckdb":
        unpivot = ("SELECT regio, probleem, count(DISTINCT clientnummer) FROM (UNPIVOT (SELECT regio, clientnummer, "
                   + ", ".join(PJ + f for f in FLAGS_YOUTH)
                   + f" FROM cases) ON COLUMNS('{PJ}.*') INTO NAME probleem VALUE v) WHERE v = 1 GROUP BY ALL")
        per_flag = unpivot.replace("SELECT regio, probleem,", f"SELECT regio, replace(probleem, '{PJ}', '') AS probleem,", 1)
    else:
        per_flag = f"SELECT regio, probleem, count(DISTINCT clientnummer) FROM ({per_flag_union()}) GROUP BY 1, 2"
    client = "clientnummer = '{client}'"
    return {
        "count by region": "SELECT regio, count(*) FROM cases GROUP BY regio",
        "count by year and phase": f"SELECT {year} AS jaar, fase, count(*) FROM cases GROUP BY 1, 2",
        "distinct cases per youth flag by region": per_flag,
        "filtered group-by on hoofdknelpunt": (
            "SELECT hoofdknelpunt, count(*) FROM cases WHERE fase = 'ondersteuning' "
            "AND urgentie IN ('hoog', 'crisis') AND geboortejaar >= 2008 GROUP BY hoofdknelpunt"),
        "median and p90 duration by region": (
            f"SELECT regio, {quantiles} FROM cases WHERE fase = 'afsluiting' GROUP BY regio"),
        "distinct cases by year": f"SELECT {year} AS jaar, count(DISTINCT clientnummer) FROM cases GROUP BY 1",
        "top-10 municipalities for a flag combination": (
            f"SELECT gemeente, count(DISTINCT clientnummer) AS clienten FROM cases WHERE {PJ}lvb = 1 "
            f"AND {PJ}gedrag_agressie = 1 AND problematiek_ouders__verslaving = 1 "
            "GROUP BY gemeente ORDER BY clienten DESC, gemeente LIMIT 10"),
        "all records of one client": f"SELECT * FROM cases WHERE {client} ORDER BY datum, fase",
    }


def polars_queries(pl, frame, client):
    """The suite as Polars expressions over `frame` (lazy, collected per run), and the one-client check."""
    cases = frame.lazy()
    year = pl.col("datum").dt.year().alias("jaar")
    days = (pl.col("datum_afsluiting") - pl.col("datum_aanmelding")).dt.total_days()
    per_flag = [cases.filter(pl.col(PJ + f)).group_by("regio").agg(
        pl.lit(f).alias("probleem"), pl.col("clientnummer").n_unique()) for f in FLAGS_YOUTH]
    one_client = cases.filter(pl.col("clientnummer") == client).sort("datum", "fase")
    queries = {
        "count by region": cases.group_by("regio").agg(pl.len()),
        "count by year and phase": cases.group_by(year, "fase").agg(pl.len()),
        "distinct cases per youth flag by region": pl.concat(per_flag),
        "filtered group-by on hoofdknelpunt": cases.filter(
            (pl.col("fase") == "ondersteuning") & pl.col("urgentie").is_in(["hoog", "crisis"])
            & (pl.col("geboortejaar") >= 2008)).group_by("hoofdknelpunt").agg(pl.len()),
        "median and p90 duration by region": cases.filter(pl.col("fase") == "afsluiting").group_by("regio").agg(
            days.median().alias("p50"), days.quantile(0.9, "linear").alias("p90")),
        "distinct cases by year": cases.group_by(year).agg(pl.col("clientnummer").n_unique()),
        "top-10 municipalities for a flag combination": cases.filter(
            pl.col(PJ + "lvb") & pl.col(PJ + "gedrag_agressie") & pl.col("problematiek_ouders__verslaving"))
        .group_by("gemeente").agg(pl.col("clientnummer").n_unique().alias("clienten"))
        .sort(["clienten", "gemeente"], descending=[True, False]).head(10),
        "all records of one client": one_client,
    }
    check = one_client.select("datum", "fase", "regio", "gemeente")
    return {name: query.collect for name, query in queries.items()}, check.collect


# The rows compared for the one-client query (its timing is of SELECT *).
CLIENT_CHECK = "SELECT datum, fase, regio, gemeente FROM cases WHERE clientnummer = '{client}' ORDER BY datum, fase"


# Kolom's form of the check for the one-client query (its timing is KolomBench's SELECT *).
KOLOM_CLIENT_CHECK = "SELECT datum, fase, regio, gemeente FROM cases WHERE clientnummer = X'{client}' ORDER BY datum, fase"


def canonical(value):
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.9g}"
    text = str(value)
    try:
        number = float(text)
        if math.isfinite(number) and text.strip().lstrip("-").replace(".", "", 1).replace("e", "", 1).isdigit():
            return canonical(int(number) if number == int(number) else number)
    except ValueError:
        pass
    return text


def canonical_rows(rows, ordered):
    out = [tuple(canonical(v) for v in row) for row in rows]
    return out if ordered else sorted(out)


ORDERED = {"top-10 municipalities for a flag combination", "all records of one client"}


class Quantile:
    """quantile_cont as DuckDB computes it, for SQLite."""

    def __init__(self):
        self.values, self.q = [], None

    def step(self, value, q):
        self.q = q
        if value is not None:
            self.values.append(value)

    def finalize(self):
        if not self.values:
            return None
        v = sorted(self.values)
        position = (len(v) - 1) * self.q
        low, high = math.floor(position), math.ceil(position)
        return v[low] + (position - low) * (v[high] - v[low])


def worker(engine, work, runs, client):
    """Loads the data into `engine`, runs the suite; prints JSON (times, rows, RSS, load)."""
    csv = os.path.join(work, "cases.csv")
    started = time.perf_counter()
    if engine == "duckdb":
        import duckdb
        path = os.path.join(work, "cases.duckdb")
        if os.path.exists(path):
            os.remove(path)
        con = duckdb.connect(path)
        con.execute(f"CREATE TABLE cases AS SELECT * FROM read_csv('{csv}', header = true, nullstr = '', "
                    "types = {'datum': 'DATE', 'datum_aanmelding': 'DATE', 'datum_start_ondersteuning': 'DATE', "
                    "'datum_afsluiting': 'DATE'})")
        con.execute("CHECKPOINT")
        load = time.perf_counter() - started
        sizes = {"duckdb": os.path.getsize(path)}
        # Parquet as an analyst would write it: one boolean column per flag.
        columns = [r[0] for r in con.execute("DESCRIBE cases").fetchall()]
        select = ", ".join(f"{c}::BOOLEAN AS {c}" if "__" in c else c for c in columns)
        for codec in ("zstd", "lz4"):
            out = os.path.join(work, f"cases-{codec}.parquet")
            con.execute(f"COPY (SELECT {select} FROM cases) TO '{out}' (FORMAT parquet, COMPRESSION {codec})")
            sizes[f"parquet {codec}"] = os.path.getsize(out)

        def run(sql):
            return con.execute(sql).fetchall()
    elif engine == "chdb":
        # A native MergeTree table, loaded from the Parquet file the DuckDB run wrote.
        from chdb import session
        path = os.path.join(work, "cases.chdb")
        subprocess.run(["rm", "-rf", path], check=True)
        con = session.Session(path)
        parquet = os.path.join(work, "cases-zstd.parquet")
        con.query(f"CREATE TABLE cases ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM file('{parquet}', Parquet)")
        load = time.perf_counter() - started
        sizes = {"chdb": sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)}

        def run(sql):
            return json.loads(con.query(sql, "JSONCompact").bytes() or b'{"data": []}')["data"]
    elif engine == "polars":
        # Polars over the Parquet file the DuckDB run wrote, read into memory once.
        import polars as pl
        frame = pl.read_parquet(os.path.join(work, "cases-zstd.parquet"))
        load = time.perf_counter() - started
        sizes = {}
        queries, check = polars_queries(pl, frame, client)

        def run(query):
            return query().rows()
    else:
        path = os.path.join(work, "cases.sqlite")
        if os.path.exists(path):
            os.remove(path)
        con = sqlite3.connect(path)
        con.create_aggregate("kq_quantile_cont", 2, Quantile)
        import csv as csvmodule
        with open(csv, newline="") as f:
            reader = csvmodule.reader(f)
            header = next(reader)
            con.execute(f"CREATE TABLE cases ({', '.join(header)})")
            marks = ", ".join("?" * len(header))
            ints = {i for i, name in enumerate(header) if name == "geboortejaar" or "__" in name}

            def typed(row):
                return [None if v == "" else (int(v) if i in ints else v) for i, v in enumerate(row)]
            con.executemany(f"INSERT INTO cases VALUES ({marks})", (typed(r) for r in reader))
        con.commit()
        load = time.perf_counter() - started
        sizes = {"sqlite": os.path.getsize(path)}

        def run(sql):
            return con.execute(sql).fetchall()

    if engine != "polars":
        queries = {name: sql.format(client=client) for name, sql in peer_queries(engine).items()}
        check = CLIENT_CHECK.format(client=client)
    results = {}
    for name, sql in queries.items():
        rows = run(sql)  # warm-up
        if name == "all records of one client":
            rows = run(check)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            run(sql)
            times.append((time.perf_counter() - t) * 1000)
        results[name] = {"ms": sorted(times)[len(times) // 2],
                         "rows": canonical_rows(rows, name in ORDERED)}
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"engine": engine, "load_s": load, "sizes": sizes, "peak_rss": rss, "queries": results}))


def kolom_rows(store, name, sql, client):
    if name == "all records of one client":
        sql = KOLOM_CLIENT_CHECK.format(client=client)
    out = subprocess.run([KOLOM, "query", store, "--format", "json", "--param", f"client=X'{client}'", "-c", sql],
                         capture_output=True, text=True, check=True).stdout
    parsed = json.loads(out)
    rows = parsed if isinstance(parsed, list) else parsed.get("rows", [])
    values = [list(r.values()) if isinstance(r, dict) else r for r in rows]
    return canonical_rows(values, name in ORDERED)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peers", default="duckdb,sqlite")
    parser.add_argument("--work", default=os.path.join(ROOT, ".build", "peers"))
    parser.add_argument("--thresholds")
    parser.add_argument("--out", default=os.path.join(ROOT, ".build", "peers", "comparison"))
    parser.add_argument("--worker")
    parser.add_argument("--client")
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.work, args.runs, args.client)

    work = os.path.join(args.work, str(args.records))
    os.makedirs(work, exist_ok=True)
    csv = os.path.join(work, "cases.csv")
    if not os.path.exists(csv):
        subprocess.run([BENCH, "--records", str(args.records), "--seed", str(args.seed), "--export-csv", csv],
                       check=True, stdout=subprocess.DEVNULL)
    bench_json = os.path.join(work, "kolom.json")
    if not os.path.exists(os.path.join(work, f"query-{args.records}", "CURRENT")):
        # Generate the store in a run of its own, so that the timed run's peak RSS is the queries'.
        subprocess.run([BENCH, "--suite", "query", "--records", str(args.records), "--seed", str(args.seed),
                        "--runs", "1", "--store-dir", work], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([BENCH, "--suite", "query", "--records", str(args.records), "--seed", str(args.seed),
                    "--runs", str(max(args.runs, 15)), "--store-dir", work, "--json", bench_json],
                   check=True, stdout=subprocess.DEVNULL)
    kolom = json.load(open(bench_json))
    store = kolom["query"]["store"]
    client = kolom["query"]["client"]
    kolom_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(store, "data"))
                      for f in fs)

    engines = {"kolom": {"queries": {}, "peak_rss": kolom["peak_rss_bytes"], "sizes": {"kolom": kolom_bytes},
                         "load_s": None}}
    for q in kolom["query"]["queries"]:
        engines["kolom"]["queries"][q["name"]] = {"ms": q["warm_ms"], "rows": kolom_rows(store, q["name"], q["sql"], client)}
    for peer in args.peers.split(","):
        out = subprocess.run([sys.executable, __file__, "--worker", peer, "--work", work, "--runs", str(args.runs),
                              "--client", client], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"{peer} failed:\n{out.stderr}")
        engines[peer] = json.loads(out.stdout)

    # Same rows everywhere, or the run fails.
    mismatches = []
    names = list(engines["kolom"]["queries"])
    for name in names:
        expected = engines["kolom"]["queries"][name]["rows"]
        for peer in engines:
            got = engines[peer]["queries"][name]["rows"]
            if [list(r) for r in got] != [list(r) for r in expected]:
                mismatches.append(f"{name}: {peer} differs from kolom\n  kolom: {expected[:5]}\n  {peer}: {got[:5]}")

    peers = [p for p in engines if p != "kolom"]
    lines = [f"Kolom and its peers on {args.records:,} generated records (seed {args.seed}), warm medians in ms",
             "", "| query | " + " | ".join(engines) + " | kolom / fastest peer |",
             "|---|" + "---|" * (len(engines) + 1)]
    ratios = {}
    for name in names:
        times = {e: engines[e]["queries"][name]["ms"] for e in engines}
        fastest = min(times[p] for p in peers)
        ratios[name] = times["kolom"] / fastest
        lines.append(f"| {name} | " + " | ".join(f"{times[e]:.1f}" for e in engines) + f" | {ratios[name]:.3f} |")
    lines += ["", "| engine | peak RSS (MB) | load (s) | bytes per record |", "|---|---|---|---|"]
    for e in engines:
        sizes = ", ".join(f"{k} {v / args.records:.2f}" for k, v in engines[e]["sizes"].items())
        load = "" if engines[e]["load_s"] is None else f"{engines[e]['load_s']:.1f}"
        lines.append(f"| {e} | {engines[e]['peak_rss'] / 2**20:.0f} | {load} | {sizes} |")
    table = "\n".join(lines)
    print(table)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out + ".md", "w") as f:
        f.write(table + "\n")
    summary = {e: {k: v for k, v in engines[e].items() if k != "queries"} for e in engines}
    for e in engines:
        summary[e]["ms"] = {n: engines[e]["queries"][n]["ms"] for n in names}
    with open(args.out + ".json", "w") as f:
        json.dump({"records": args.records, "seed": args.seed, "engines": summary, "ratio_to_fastest_peer": ratios},
                  f, indent=1)

    failed = False
    if mismatches:
        print("\nRESULT MISMATCH\n" + "\n".join(mismatches), file=sys.stderr)
        failed = True
    if args.thresholds and "duckdb" in engines:
        thresholds = json.load(open(args.thresholds))
        for name, limit in thresholds.items():
            ratio = engines["kolom"]["queries"][name]["ms"] / engines["duckdb"]["queries"][name]["ms"]
            if ratio > limit * 1.5:
                print(f"REGRESSION: {name}: kolom / duckdb = {ratio:.3f}, threshold {limit} (+50%)", file=sys.stderr)
                failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
