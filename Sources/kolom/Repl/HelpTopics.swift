// The REPL's help: a line per dot-command, a topic per part of the language (each
// with an example that runs on the monitor's data), and ready analyses.

enum HelpTopics {
  /// Dot-commands and what they do, in the order .help lists them.
  static let commands: [(String, String)] = [
    (".help [TOPIC]", "this list, or a part of the language: .help each, .help has, .help quantile, …"),
    (".examples", "ready analyses of the monitor, to copy"),
    (".tables", "the tables (there is one: cases)"),
    (".schema [COLUMN]", "the columns of cases with their types, or one column's codes"),
    (".values COLUMN", "a coded column's or flag set's codes, with how many records have each"),
    (".mode [FORMAT]", "the output format: box, table, csv, tsv, json, jsonl, markdown, line, bar"),
    (".timer on|off", "show how long each query took and how much it read"),
    (".explain on|off", "show the plan of each query instead of running it"),
    (".pager auto|on|off", "page long results through $PAGER (less -SRFX); auto when they overflow"),
    (".read FILE", "run the statements and dot-commands of a file"),
    (".output [FILE]", "write results to FILE (no FILE: back to the terminal)"),
    (".once FILE", "write the next result only to FILE"),
    (".param set :NAME VALUE", "set a parameter (.param list, .param unset :NAME, .param clear)"),
    (".history", "the statements of this session (kept on disk only with kolom repl --history FILE)"),
    (".quit", "leave (Ctrl-D does too)"),
  ]

  /// Topics of the language: a short explanation and an example each.
  static let topics: [(name: String, text: String)] = [
    (
      "select",
      """
      SELECT … FROM cases [WHERE …] [GROUP BY …] [HAVING …] [ORDER BY …] [LIMIT n [BY key]] [OFFSET m]
      One read-only query over the table cases. End it with ; to run it.
        SELECT regio, count(*) FROM cases WHERE year(datum) = 2025 GROUP BY regio ORDER BY 2 DESC LIMIT 5;
      """
    ),
    (
      "each",
      """
      EACH(flag set) as a group key: one group per flag; a record counts once under every
      flag it has. Records without any flag drop out, unless EACH(set KEEP EMPTY).
        SELECT EACH(problematiek_jeugdige) AS probleem, count(DISTINCT clientnummer) FROM cases GROUP BY ALL;
      """
    ),
    (
      "has",
      """
      set HAS 'code', set HAS ANY ('a', 'b'), set HAS ALL ('a', 'b'): conditions on a flag set.
        SELECT count(*) FROM cases WHERE problematiek_jeugdige HAS ALL ('lvb', 'gedrag_agressie');
      """
    ),
    (
      "quantile",
      """
      median(x), quantile_cont(x, p) (interpolated, as DuckDB) and quantile_disc(x, p) (a value
      of x): exact, over every value.
        SELECT regio, median(days_between(datum_aanmelding, datum_afsluiting)) FROM cases
        WHERE fase = 'afsluiting' GROUP BY regio;
      """
    ),
    (
      "aggregates",
      """
      count(*), count(x), count(DISTINCT x), sum, avg, min, max, median, quantile_cont,
      quantile_disc; each takes FILTER (WHERE …).
        SELECT count(*) FILTER (WHERE urgentie = 'crisis') AS crisis, count(*) FROM cases;
      """
    ),
    (
      "functions",
      """
      year(d), quarter(d), month(d), days_between(from, to), age_at(birth year, d),
      cardinality(flag set), coalesce(x, y, …), CASE WHEN … THEN … ELSE … END.
        SELECT age_at(geboortejaar, datum_aanmelding) AS leeftijd, count(*) FROM cases GROUP BY 1 ORDER BY 1;
      """
    ),
    (
      "grouping",
      """
      GROUP BY keys, GROUP BY ALL (every select item that is not an aggregate), GROUP BY 1
      (by position), ROLLUP(a, b) (with subtotals and a total); HAVING filters groups.
        SELECT year(datum) AS jaar, fase, count(*) FROM cases GROUP BY ROLLUP(jaar, fase);
      """
    ),
    (
      "null",
      """
      NULL is an unknown value: comparisons with it are NULL, WHERE keeps only true rows,
      aggregates skip it. Test with IS NULL / IS NOT NULL; replace with coalesce.
        SELECT count(*), count(hoofdknelpunt) FROM cases WHERE hoofdknelpunt IS NULL OR fase = 'aanmelding';
      """
    ),
    (
      "parameters",
      """
      :name in a query takes its value from .param set :name VALUE.
        .param set :regio JZ13
        SELECT year(datum), count(*) FROM cases WHERE regio = :regio GROUP BY 1;
      """
    ),
    (
      "limit",
      """
      LIMIT n keeps n rows; LIMIT n BY key keeps n rows for every value of the key.
        SELECT regio, hoofdknelpunt, count(*) AS n FROM cases WHERE hoofdknelpunt IS NOT NULL
        GROUP BY ALL ORDER BY regio, n DESC LIMIT 2 BY regio;
      """
    ),
    (
      "explain",
      """
      EXPLAIN before a query (or .explain on) shows what it reads: years, files and row
      groups left after pruning, and the columns.
        EXPLAIN SELECT count(*) FROM cases WHERE regio = 'JZ13' AND year(datum) = 2025;
      """
    ),
  ]

  static var names: [String] { topics.map(\.name) }

  /// Ready analyses of the monitor, for .examples.
  static let examples: [(String, String)] = [
    (
      "Registrations per region per year",
      "SELECT regio, year(datum) AS jaar, count(*) AS aanmeldingen FROM cases WHERE fase = 'aanmelding' "
        + "GROUP BY ALL ORDER BY regio, jaar;"
    ),
    (
      "Cases per main bottleneck, with the total of the cases that have one (the NULL row) to share them by",
      "SELECT hoofdknelpunt, count(DISTINCT clientnummer) AS clienten FROM cases WHERE hoofdknelpunt IS NOT NULL "
        + "GROUP BY ROLLUP(hoofdknelpunt) ORDER BY clienten DESC;"
    ),
    (
      "Cases per youth-problem indicator",
      "SELECT EACH(problematiek_jeugdige) AS probleem, count(DISTINCT clientnummer) AS clienten FROM cases "
        + "GROUP BY ALL ORDER BY clienten DESC;"
    ),
    (
      "Median time to closure by region (days)",
      "SELECT regio, median(days_between(datum_aanmelding, datum_afsluiting)) AS mediaan_dagen FROM cases "
        + "WHERE fase = 'afsluiting' GROUP BY regio ORDER BY mediaan_dagen DESC;"
    ),
    (
      "Crisis registrations per region, with the share (run with .mode bar to see it)",
      "SELECT regio, 100 * count(*) FILTER (WHERE urgentie = 'crisis') / count(*) AS procent_crisis FROM cases "
        + "WHERE fase = 'aanmelding' GROUP BY regio ORDER BY procent_crisis DESC LIMIT 10;"
    ),
  ]
}
