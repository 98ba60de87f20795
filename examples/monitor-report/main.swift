// monitor-report: a Swift program that embeds Kolom through the `Kolom` library, the
// way a program embeds SQLite. It opens a store read-only, asks three questions with
// named parameters and access contexts, reads the typed results by row and by column,
// shows how errors point at the mistake and how a query is cancelled, and closes.
//
//   swift run monitor-report [STORE]      (STORE: the demo store of `make run` by default)
import Foundation
import Kolom

let path = CommandLine.arguments.dropFirst().first ?? "demo"
let database: Database
do {
  database = try Database(path: path)  // read-only: takes no lock, never blocks the writer
} catch {
  FileHandle.standardError.write(Data("monitor-report: cannot open \(path): \(error)\n".utf8))
  exit(1)
}
defer { database.close() }

// 1. The latest year in the store, then closed cases in it per region, with a parameter.
let latest = try database.query("SELECT max(year(datum)) AS jaar FROM cases")
guard let year = latest.rows.first?.first?.int else {
  print("the store holds no records")
  exit(0)
}
let closed = try database.query(
  """
  SELECT regio, count(DISTINCT clientnummer) AS clienten,
         median(days_between(datum_aanmelding, datum_afsluiting)) AS mediaan_dagen
  FROM cases WHERE fase = 'afsluiting' AND year(datum) = :jaar
  GROUP BY regio ORDER BY clienten DESC, regio LIMIT 3
  """, parameters: ["jaar": .int(year)])
print("closed cases in \(year), the three largest regions:")
for row in closed.rows {  // typed values, row by row
  let region = row[0].text ?? "?"
  let cases = row[1].int ?? 0
  let days = row[2].double.map { String(format: "%.0f", $0) } ?? "-"
  print("  \(region): \(cases) cases, median \(days) days from registration to closure")
}

// 2. What an RET sees: its own region only, whatever the query asks.
let own = try database.query(
  "SELECT regio, count(*) AS records FROM cases GROUP BY regio", access: AccessContext(role: .ret(region: "JZ13")))
let regions = own.column("regio")?.compactMap(\.text) ?? []  // a column at once
print("role ret JZ13 sees the regions \(regions.joined(separator: ", "))")

// 3. Errors say where and suggest the nearest name or code.
let typo = "SELECT count(*) FROM cases WHERE regio = 'JZ1'"
do {
  _ = try database.query(typo)
} catch let error as QueryError {
  print("an error, as the library reports it:")
  print(error.rendered(in: typo))
}

// 4. A cancelled query stops between row groups with QueryError.cancelled.
let cancellation = Cancellation()
cancellation.cancel()
do {
  _ = try database.query("SELECT count(DISTINCT clientnummer) FROM cases", cancellation: cancellation)
  print("not cancelled")
} catch QueryError.cancelled {
  print("cancelled")
}
